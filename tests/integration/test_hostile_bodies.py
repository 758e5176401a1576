"""Hostile request bodies are 400 VALIDATION_ERROR with details, never a 500 or a write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.api import call

WHEN = (datetime.now(UTC) - timedelta(hours=1)).isoformat()


def walk(**changes: str) -> bytes:
    """A valid activity body as raw JSON, with some fields replaced by raw JSON text."""
    fields = {"distance": "1500", "duration": "900", "timestamp": f'"{WHEN}"', **changes}
    return ("{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}").encode()


DEEP = b'{"email": ' + b"[" * 1500 + b"]" * 1500 + b', "password": "x"}'

HOSTILE_ACTIVITIES = {
    "nested 1500 deep": walk(notes="[" * 1500 + "]" * 1500),
    "nested 65 deep": walk(notes="[" * 64 + "]" * 64),
    "NaN": walk(distance="NaN"),
    "Infinity": walk(distance="Infinity"),
    "-Infinity": walk(distance="-Infinity"),
    "overflow to infinity": walk(distance="1e400"),
    "subnormal": walk(distance="5e-324"),
    "huge integer": walk(duration="1" + "0" * 40),
    "true as distance": walk(distance="true"),
    "string as distance": walk(distance='"1000"'),
    "string as duration": walk(duration='"900"'),
    "float as duration": walk(duration="900.5"),
    "number as private flag": walk(isPrivate="1"),
    "array body": b"[1, 2]",
    "string body": b'"walk"',
    "not JSON": b"{distance: 1}",
    "truncated": b'{"distance": 1',
    "not UTF-8": b'{"notes": "\xff\xfe"}',
}

HOSTILE_LOGINS = {
    "nested 1500 deep": DEEP,
    "NaN password": b'{"email": "a@example.com", "password": NaN}',
    "number as email": b'{"email": 1, "password": "secret-secret"}',
    "array body": b"[]",
}


@pytest.mark.parametrize("body", HOSTILE_ACTIVITIES.values(), ids=HOSTILE_ACTIVITIES.keys())
def test_hostile_activity_bodies_are_400_with_details(make_user, db, body: bytes) -> None:
    user = make_user()
    r = call("POST", "/activities", user=user, raw_body=body)
    assert r.status == 400, r.body
    assert r.code == "VALIDATION_ERROR"
    assert r.error["details"] and all({"field", "message"} <= set(d) for d in r.error["details"])
    count = db.execute("SELECT count(*) FROM activities WHERE user_id = %s", (user.id,))
    assert count.fetchone() == (0,)


@pytest.mark.parametrize("body", HOSTILE_LOGINS.values(), ids=HOSTILE_LOGINS.keys())
def test_hostile_login_bodies_are_400_with_details(body: bytes) -> None:
    r = call("POST", "/auth/login", raw_body=body)
    assert r.status == 400, r.body
    assert r.code == "VALIDATION_ERROR"
    assert r.error["details"]


def test_subnormal_distance_in_a_patch_is_400(make_user) -> None:
    user = make_user()
    created = call("POST", "/activities", user=user, raw_body=walk())
    assert created.status == 201, created.body
    path = f"/activities/{created.data['activity']['id']}"
    r = call("PATCH", path, user=user, raw_body=b'{"distance": 5e-324}')
    assert r.status == 400 and r.code == "VALIDATION_ERROR"


def test_valid_bodies_still_accepted(make_user) -> None:
    user = make_user()
    assert call("POST", "/activities", user=user, raw_body=walk()).status == 201
    assert call("POST", "/activities", user=user, raw_body=walk(distance="1500.25")).status == 201
