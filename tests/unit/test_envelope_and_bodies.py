"""A model's envelope is the text the generic dump gives; non-finite numbers are refused in any
body, also in fields that take any JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from milequest.api.json_body import parse_body
from milequest.api.responses import _body, success
from milequest.domain.errors import ValidationFailed
from milequest.models.activities import Activity, ActivityWritten, CreateActivity, TeamUpdate
from milequest.models.base import InputModel, dump


def _written() -> ActivityWritten:
    at = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    activity = Activity(
        id=UUID(int=1), user_id=UUID(int=2), distance=1234.5, duration=900, pace=729.15,
        timestamp=at, notes="Café ☕ \"quoted\"\n", is_private=False, source="MANUAL",
        external_id=None, created_at=at, updated_at=at.replace(microsecond=0),
    )  # fmt: skip
    update = TeamUpdate(
        team_id=UUID(int=3), goal_id=UUID(int=4), new_total_distance=1.5e9,
        new_percent_complete=33.333333333333336,
    )  # fmt: skip
    return ActivityWritten(activity=activity, team_updates=[update])


def test_a_model_answers_the_text_of_its_dump() -> None:
    written = _written()
    body = success(written, 201)["body"]
    assert body == _body({"success": True, "data": dump(written)})
    assert json.loads(body)["data"]["activity"]["notes"] == 'Café ☕ "quoted"\n'


class _Tagged(InputModel):
    name: str
    tags: dict[str, Any] = {}


def test_non_finite_numbers_are_refused_in_fields_that_take_any_json() -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_body(b'{"name": "a", "tags": {"x": [1, NaN]}}', _Tagged)
    assert refused.value.details == [{"field": "tags.x[1]", "message": "must be finite"}]
    assert parse_body(b'{"name": "a", "tags": {"x": [1, 2]}}', _Tagged).tags == {"x": [1, 2]}


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e400"])
def test_non_finite_numbers_are_refused_by_typed_fields(literal: str) -> None:
    raw = f'{{"distance": {literal}, "duration": 600, "timestamp": "2026-01-01T10:00:00Z"}}'
    with pytest.raises(ValidationFailed):
        parse_body(raw.encode(), CreateActivity)
