"""`Serialised`: JSON text a route built elsewhere goes into the envelope unparsed, with the
route's headers, and OpenAPI documents the model it follows."""

from __future__ import annotations

import json
import random

import pytest

from functions.registry import ROUTES
from milequest.api.responses import (
    LAMBDA_RESULT_LIMIT,
    Serialised,
    etag_matches,
    fits_lambda_result,
    strong_etag,
    success,
)
from milequest.models.users import DataExport


def test_the_text_is_the_data_of_the_envelope_as_it_is() -> None:
    text = '{"b":1.0,"a":["é",null],"t":"2026-01-02T03:04:05+00:00"}'
    response = success(Serialised(text), 200, {"Cache-Control": "private, no-store"})
    assert response["body"] == '{"success":true,"data":' + text + "}"
    assert response["headers"] == {
        "Content-Type": "application/json",
        "Cache-Control": "private, no-store",
    }
    # The same bytes a model's dump gives for the same content.
    assert response["body"] == success(json.loads(text))["body"]


def test_a_serialised_body_gets_an_etag_like_any_other() -> None:
    body = success(Serialised('{"a":1}'))["body"]
    assert etag_matches(strong_etag(body), strong_etag(success({"a": 1})["body"]))


def test_openapi_documents_the_model_behind_the_text() -> None:
    (route,) = [r for r in ROUTES if r.key == "GET /users/me/export"]
    assert route.response_shape is DataExport


TEXTS = {
    "ascii": '{"notes":"a walk by the river","n":1.0}',
    "quotes and backslashes": '{"notes":"\\"quoted\\" \\\\ and \\n a new line"}',
    "accents": '{"notes":"Caminhada à beira-rio, Évora"}',
    "emoji": '{"emoji":"👍❤️🔥👏💪🎉"}',
    # DEL: raw in JSON (PostgreSQL's to_json leaves it), six bytes where the runtime escapes.
    "delete characters": '{"notes":"' + "\x7f" * 60 + '"}',
}


def _written(text: str) -> int:
    """What the runtime writes for the export's answer, the larger of its two ways."""
    result = success(
        Serialised(text), 200, {"Cache-Control": "private, no-store", "X-Request-Id": "r" * 128}
    )
    return max(
        len(json.dumps(result).encode()),  # \\uXXXX escapes (runtimes before Python 3.12)
        len(json.dumps(result, ensure_ascii=False).encode()),  # UTF-8 (Python 3.12)
    )


@pytest.mark.parametrize("kind", sorted(TEXTS))
@pytest.mark.parametrize("copies", [1, 400])  # under the cheap bound, and measured
def test_the_inline_limit_bounds_the_lambda_result_whichever_way_the_runtime_writes_it(
    kind: str, copies: int
) -> None:
    text = "[" + ",".join([TEXTS[kind]] * copies) + "]"
    written = _written(text)
    # Never says it fits when the result would not ...
    assert not fits_lambda_result(text, written - 1)
    # ... and says so once the limit holds it with a couple of KiB to spare.
    assert fits_lambda_result(text, written + 4096)


def test_the_default_inline_limit_leaves_a_margin_under_lambdas() -> None:
    from milequest.config import Settings

    assert Settings().export_inline_max_bytes <= LAMBDA_RESULT_LIMIT - 1024 * 1024


@pytest.mark.parametrize("seed", range(20))
def test_the_inline_limit_holds_for_any_json_text_near_it(seed: int) -> None:
    # JSON texts of random strings (quotes, backslashes, control characters, DEL, accents,
    # emoji), against limits on either side of what they weigh: each bound the check takes a
    # shortcut by is on the safe side.
    rng = random.Random(seed)
    alphabet = 'ab "\\\n\x01\x1f\x7féü€👍\U0001f525'
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    text = json.dumps(values, ensure_ascii=rng.random() < 0.5)
    written = _written(text)
    # The same answers whether the check measures the text itself or is told its UTF-8
    # length and whether it holds a DEL (as the export's statement tells it).
    told = {"utf8_bytes": len(text.encode()), "has_del": "\x7f" in text}
    for known in ({}, told):
        for limit in (written - 1, written - len(text) // 3, written // 2):
            assert not fits_lambda_result(text, limit, **known)
        assert fits_lambda_result(text, written + 4096, **known)
        assert fits_lambda_result(text, 2 * written, **known)  # far inside it
