"""/activities/summary over an asked window (startDate, endDate, limit) and the stats the web
client reads (averageDistance)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.integration.activities.conftest import walk
from tests.support.api import call


def _local_today(tz: str) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(tz)).date()


def test_daily_window_covers_every_asked_day_zeros_included(make_user, set_timezone) -> None:
    alice = make_user("Alice")
    set_timezone(alice, "Europe/Lisbon")
    call("POST", "/activities", user=alice, json_body=walk(3000))
    today = _local_today("Europe/Lisbon")
    start = today - timedelta(days=29)
    q = {"period": "daily", "startDate": start.isoformat(), "endDate": today.isoformat()}
    days = call("GET", "/activities/summary", user=alice, query={**q, "limit": 30}).data
    assert [s["startDate"] for s in days["summaries"]] == [
        (start + timedelta(days=i)).isoformat() for i in range(30)
    ]
    assert sum(s["totalDistance"] for s in days["summaries"]) == 3000
    assert sum(s["totalActivities"] for s in days["summaries"]) == 1
    # Without a limit the same window; with a smaller one, the newest periods.
    assert call("GET", "/activities/summary", user=alice, query=q).data == days
    week = call("GET", "/activities/summary", user=alice, query={**q, "limit": 7}).data
    assert week["summaries"] == days["summaries"][-7:]


def test_weekly_window_and_bad_windows(make_user) -> None:
    bob = make_user("Bob")
    today = _local_today("UTC")
    q = {"period": "weekly", "startDate": (today - timedelta(weeks=7)).isoformat(), "limit": 8}
    weeks = call("GET", "/activities/summary", user=bob, query=q).data["summaries"]
    assert len(weeks) == 8
    assert all(date.fromisoformat(w["startDate"]).isoweekday() == 1 for w in weeks)
    assert all(w["totalDistance"] == 0 for w in weeks)
    backwards = {"startDate": today.isoformat(), "endDate": (today - timedelta(days=1)).isoformat()}
    assert call("GET", "/activities/summary", user=bob, query=backwards).status == 400
    too_long = {"period": "daily", "startDate": "2001-01-01"}
    r = call("GET", "/activities/summary", user=bob, query=too_long)
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")
    assert call("GET", "/activities/summary", user=bob, query={"limit": 0}).status == 400


def test_stats_carry_average_distance(make_user) -> None:
    carol = make_user("Carol")
    assert call("GET", "/users/me/stats", user=carol).data["averageDistance"] == 0
    for distance in (3000, 4500):
        call("POST", "/activities", user=carol, json_body=walk(distance))
    assert call("GET", "/users/me/stats", user=carol).data["averageDistance"] == 3750


def test_units_accept_the_web_clients_words(make_user) -> None:
    dan = make_user("Dan")
    r = call("PATCH", "/users/me", user=dan, json_body={"preferredUnits": "miles"})
    assert r.data["user"]["preferredUnits"] == "imperial"
    r = call("PATCH", "/users/me", user=dan, json_body={"preferredUnits": "kilometers"})
    assert r.data["user"]["preferredUnits"] == "metric"
    assert (
        call("PATCH", "/users/me", user=dan, json_body={"preferredUnits": "leagues"}).status == 400
    )
