"""POST/PATCH/DELETE /activities that must not write: the rate limit, bad input (400 with the
field), and someone else's activity (404 for every verb)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.activities.conftest import walk
from tests.support.api import call


def test_rate_limit_answers_429_with_retry_after(make_user, monkeypatch) -> None:
    from milequest.config import get_settings

    alice = make_user("Alice")
    monkeypatch.setenv("ACTIVITY_RATE_LIMIT", "3")
    get_settings.cache_clear()
    try:
        statuses = [
            call("POST", "/activities", user=alice, json_body=walk()).status for _ in range(4)
        ]
        limited = call("POST", "/activities", user=alice, json_body=walk())
    finally:
        monkeypatch.delenv("ACTIVITY_RATE_LIMIT")
        get_settings.cache_clear()

    assert statuses == [201, 201, 201, 429]
    assert limited.code == "RATE_LIMITED"
    assert 1 <= int(limited.headers["Retry-After"]) <= 3600


def _future() -> str:
    return (datetime.now(UTC) + timedelta(minutes=10)).isoformat()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (walk(0, 600), "distance"),
        (walk(-5, 600), "distance"),
        (walk(200_001, 86_400), "distance"),
        ({**walk(), "duration": 0}, "duration"),
        ({**walk(), "duration": 86_401}, "duration"),
        ({**walk(), "timestamp": _future()}, "timestamp"),
        ({**walk(), "timestamp": "yesterday at noon"}, "timestamp"),
        ({**walk(), "timestamp": "2026-01-01T10:00:00"}, "timestamp"),  # no offset
        ({**walk(), "timestamp": "1999-12-31T10:00:00Z"}, "timestamp"),
        ({**walk(), "notes": "x" * 501}, "notes"),
        ({**walk(), "source": "FITBIT"}, "source"),
        (walk(10_000, 600), "body"),  # 1 min/km
        ({**walk(), "userId": "someone-else"}, "userId"),
        ({"duration": 600, "timestamp": _future()}, "distance"),
    ],
)
def test_bad_input_is_400_with_field_details(make_user, body, field) -> None:
    r = call("POST", "/activities", user=make_user("Alice"), json_body=body)

    assert r.status == 400
    assert r.code == "VALIDATION_ERROR"
    assert field in json.dumps(r.error["details"])


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_400(make_user, literal) -> None:
    raw = f'{{"distance": {literal}, "duration": 600, "timestamp": "2026-01-01T10:00:00Z"}}'
    r = call("POST", "/activities", user=make_user("Alice"), raw_body=raw.encode())

    assert r.status == 400
    assert "distance" in json.dumps(r.error["details"])


def test_edit_with_implausible_pace_is_400_and_changes_nothing(make_user, db) -> None:
    alice = make_user("Alice")
    a = call("POST", "/activities", user=alice, json_body=walk(5000)).data["activity"]

    r = call("PATCH", f"/activities/{a['id']}", user=alice, json_body={"distance": 60_000})

    assert r.status == 400
    stats = db.execute(
        "SELECT total_distance FROM user_stats WHERE user_id = %s", (alice.id,)
    ).fetchone()
    assert float(stats[0]) == 5000.0


def test_someone_elses_activity_is_404_for_every_verb(make_user, make_team) -> None:
    alice, mallory = make_user("Alice"), make_user("Mallory")
    a = call("POST", "/activities", user=alice, json_body=walk(isPrivate=True)).data["activity"]
    path = f"/activities/{a['id']}"

    assert call("GET", path, user=mallory).status == 404
    assert call("PATCH", path, user=mallory, json_body={"distance": 1}).status == 404
    assert call("PUT", path, user=mallory, json_body={"distance": 1}).status == 404
    assert call("DELETE", path, user=mallory).status == 404
    assert call("GET", path, user=alice).status == 200
    assert call("GET", path).status == 401
