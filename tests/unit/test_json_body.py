"""parse_body: the limits themselves, on a small model."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import pytest
from pydantic import BaseModel

from milequest.api.json_body import MAX_DEPTH, parse_body
from milequest.domain.errors import ValidationFailed


class Body(BaseModel):
    value: Any = None
    amount: float = 0.0
    at: datetime | None = None
    ref: UUID | None = None


def nested(depth: int) -> bytes:
    # The object itself is one level; the value adds depth - 1 more.
    return b'{"value": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"


def test_nesting_up_to_the_limit_is_accepted_one_more_is_refused() -> None:
    assert parse_body(nested(MAX_DEPTH), Body).value is not None
    with pytest.raises(ValidationFailed) as err:
        parse_body(nested(MAX_DEPTH + 1), Body)
    assert "nested deeper" in err.value.details[0]["message"]


def test_brackets_inside_strings_do_not_count() -> None:
    text = "[" * 500 + '\\"' + "{" * 500
    assert parse_body(('{"value": "' + text + '"}').encode(), Body).value.startswith("[[")


def test_iso_strings_still_parse_for_datetimes_and_uuids() -> None:
    body = parse_body(
        b'{"at": "2025-03-01T10:00:00Z", "ref": "6f1c1f5e-0d5b-4f53-9d1e-1f6a2b3c4d5e",'
        b' "amount": 3}',
        Body,
    )
    assert body.at is not None and body.at.year == 2025
    assert isinstance(body.ref, UUID) and body.amount == 3.0


def test_empty_body_is_an_empty_object() -> None:
    assert parse_body(b"  ", Body).amount == 0.0


@pytest.mark.parametrize(
    "raw",
    [
        b'{"amount": true}',
        b'{"amount": "1"}',
        b'{"amount": NaN}',
        b'{"amount": 1e999}',
        b'{"amount": -5e-324}',
        b"null",
        b'{"amount": 1',
    ],
)
def test_refused(raw: bytes) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_body(raw, Body)
    assert err.value.details


def test_a_refused_number_is_reported_at_its_field() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_body(b'{"value": [1, {"deep": 5e-324}], "amount": 1}', Body)
    assert err.value.details == [
        {"field": "value[1].deep", "message": "5e-324 is too small (subnormal)"}
    ]
