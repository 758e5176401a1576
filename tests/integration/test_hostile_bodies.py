"""Hostile request bodies are a 400 VALIDATION_ERROR with details, never a 5xx or a write."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.api import call


def _walk(**overrides: object) -> str:
    when = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    fields = {"distance": "4000", "duration": "3600", "timestamp": f'"{when}"', **overrides}
    return "{" + ",".join(f'"{k}": {v}' for k, v in fields.items()) + "}"


DEEP = "[" * 1500 + "]" * 1500
HOSTILE_WALKS = {
    "nested 1500 deep": _walk(notes=DEEP),
    "nested 65 deep": _walk(notes="[" * 65 + "]" * 65),
    "NaN": _walk(distance="NaN"),
    "Infinity": _walk(distance="Infinity"),
    "-Infinity": _walk(distance="-Infinity"),
    "overflow to infinity": _walk(distance="1e400"),
    "subnormal distance": _walk(distance="5e-324"),
    "below a millimetre": _walk(distance="0.0004"),
    "boolean distance": _walk(distance="true"),
    "string distance": _walk(distance='"1000"'),
    "string duration": _walk(duration='"3600"'),
    "fractional duration": _walk(duration="3600.5"),
    "huge duration": _walk(duration="1" + "0" * 400),
    "boolean isPrivate as number": _walk(isPrivate="1"),
    "not an object": "[1, 2]",
    "truncated": '{"distance": 4000',
    "not UTF-8": b'{"distance": "\xff"}'.decode("latin-1"),
    "unknown field": _walk(speed="3"),
}


@pytest.mark.parametrize("body", HOSTILE_WALKS.values(), ids=HOSTILE_WALKS.keys())
def test_hostile_activity_bodies_are_400_with_details(make_user, body):
    user = make_user()
    raw = body.encode("latin-1") if "\xff" in body else body.encode()
    result = call("POST", "/activities", user=user, raw_body=raw)
    assert result.status == 400, result.body
    assert result.code == "VALIDATION_ERROR"
    assert result.error["details"], result.body
    assert all({"field", "message"} <= set(d) for d in result.error["details"])


@pytest.mark.parametrize(
    "body", [_walk(distance="5e-324"), '{"distance": true}', '{"distance": 1e999}', DEEP]
)
def test_hostile_activity_patches_are_400(make_user, body):
    result = call("PATCH", f"/activities/{uuid.uuid4()}", user=make_user(), raw_body=body.encode())
    assert result.status == 400, result.body
    assert result.code == "VALIDATION_ERROR"
    assert result.error["details"]


HOSTILE_LOGINS = {
    "nested 1500 deep": '{"email": ' + DEEP + "}",
    "deep object": '{"a":' * 1500 + "1" + "}" * 1500,
    "number email": '{"email": 5, "password": "Walking1Far"}',
    "NaN password": '{"email": "a@example.com", "password": NaN}',
    "array": "[]",
    "scalar": "7",
    "garbage": "not json",
}


@pytest.mark.parametrize("body", HOSTILE_LOGINS.values(), ids=HOSTILE_LOGINS.keys())
def test_hostile_login_bodies_are_400_with_details(body):
    result = call("POST", "/auth/login", raw_body=body.encode())
    assert result.status == 400, result.body
    assert result.code == "VALIDATION_ERROR"
    assert result.error["details"]


def test_brackets_inside_strings_do_not_count_as_nesting(make_user):
    notes = '"' + "[{" * 200 + '"'
    result = call("POST", "/activities", user=make_user(), raw_body=_walk(notes=notes).encode())
    assert result.status == 201, result.body
    assert result.data["activity"]["notes"] == "[{" * 200


def test_iso_strings_still_parse_as_datetimes_in_strict_mode(make_user):
    result = call("POST", "/activities", user=make_user(), raw_body=_walk().encode())
    assert result.status == 201, result.body
    assert result.data["activity"]["distance"] == 4000
