"""Streaks count consecutive days in the user's own timezone, across DST changes, and stay
correct when activities are back-dated, edited or deleted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.integration.activities.conftest import walk
from tests.support.api import call


def _local(day: date, hour: int, minute: int, tz: str) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz))


def _today(tz: str) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(tz)).date()


@pytest.mark.parametrize("tz", ["Pacific/Auckland", "America/Los_Angeles"])
def test_late_evening_and_just_after_midnight_are_two_local_days(
    make_user, set_timezone, tz
) -> None:
    # Given a user logging at local 23:30 one day and 00:30 the next
    user = make_user("Night Owl")
    set_timezone(user, tz)
    yesterday = _today(tz) - timedelta(days=1)
    before = _local(yesterday - timedelta(days=1), 23, 30, tz)
    after = _local(yesterday, 0, 30, tz)
    # (in UTC both fall on the same calendar day for Auckland: only local days make it 2)
    call("POST", "/activities", user=user, json_body=walk(at=before))
    call("POST", "/activities", user=user, json_body=walk(at=after))

    streak = call("GET", "/activities/streak", user=user).data

    assert streak == {
        "currentStreak": 2,
        "longestStreak": 2,
        "lastActivityDate": yesterday.isoformat(),
    }


def test_streak_is_zero_once_a_local_day_is_missed(make_user, set_timezone) -> None:
    user = make_user("Lapsed")
    set_timezone(user, "Europe/Lisbon")
    three_days_ago = _today("Europe/Lisbon") - timedelta(days=3)
    for back in (0, 1):
        at = _local(three_days_ago - timedelta(days=back), 12, 0, "Europe/Lisbon")
        call("POST", "/activities", user=user, json_body=walk(at=at))

    streak = call("GET", "/activities/streak", user=user).data

    assert streak["currentStreak"] == 0
    assert streak["longestStreak"] == 2


@pytest.mark.parametrize(
    ("tz", "days"),
    [
        # US spring forward: 2026-03-08 has 23 hours
        ("America/Los_Angeles", [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)]),
        # New Zealand DST ends: 2026-04-05 has 25 hours
        ("Pacific/Auckland", [date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)]),
    ],
)
def test_streaks_across_dst_changes_count_local_days(make_user, set_timezone, tz, days) -> None:
    user = make_user("Traveller")
    set_timezone(user, tz)
    for day in days:
        call("POST", "/activities", user=user, json_body=walk(at=_local(day, 23, 30, tz)))

    streak = call("GET", "/activities/streak", user=user).data

    assert streak["longestStreak"] == 3
    assert streak["lastActivityDate"] == days[-1].isoformat()


def test_back_dated_activity_joins_two_runs_and_delete_splits_them(make_user, set_timezone) -> None:
    user = make_user("Gap Filler")
    tz = "Europe/Paris"
    set_timezone(user, tz)
    today = _today(tz)
    for back in (1, 2, 4, 5):  # two runs of 2 days, a gap 3 days ago
        call(
            "POST",
            "/activities",
            user=user,
            json_body=walk(at=_local(today - timedelta(days=back), 8, 0, tz)),
        )
    assert call("GET", "/activities/streak", user=user).data["currentStreak"] == 2

    # When the gap day is logged later (back-dated)
    gap = call(
        "POST",
        "/activities",
        user=user,
        json_body=walk(at=_local(today - timedelta(days=3), 8, 0, tz)),
    ).data["activity"]
    joined = call("GET", "/activities/streak", user=user).data

    # Then the runs join; and deleting it splits them again
    assert joined["currentStreak"] == joined["longestStreak"] == 5
    call("DELETE", f"/activities/{gap['id']}", user=user)
    split = call("GET", "/activities/streak", user=user).data
    assert split["currentStreak"] == split["longestStreak"] == 2


def test_moving_an_activity_to_another_day_recomputes_the_streak(make_user, set_timezone) -> None:
    user = make_user("Mover")
    tz = "Asia/Kolkata"
    set_timezone(user, tz)
    today = _today(tz)
    call(
        "POST", "/activities", user=user, json_body=walk(at=_local(today - timedelta(1), 9, 0, tz))
    )
    moved = call(
        "POST", "/activities", user=user, json_body=walk(at=_local(today - timedelta(2), 9, 0, tz))
    ).data["activity"]
    assert call("GET", "/activities/streak", user=user).data["currentStreak"] == 2

    far = _local(today - timedelta(days=9), 9, 0, tz).isoformat()
    call("PATCH", f"/activities/{moved['id']}", user=user, json_body={"timestamp": far})

    streak = call("GET", "/activities/streak", user=user).data
    assert streak["currentStreak"] == 1
    assert streak["longestStreak"] == 1


def test_changing_timezone_restates_the_streak_in_the_new_local_days(make_user, db) -> None:
    # Given activities at 10:30 and 11:30 UTC on the same UTC day: one local day in UTC,
    # but 23:30 and 00:30 on two local days in Auckland (UTC+13 in summer)
    user = make_user("Mover")
    day = datetime.now(UTC).date() - timedelta(days=20)
    for hour in (10, 11):
        at = datetime(day.year, day.month, day.day, hour, 30, tzinfo=UTC)
        call("POST", "/activities", user=user, json_body=walk(at=at))
    assert call("GET", "/activities/streak", user=user).data["longestStreak"] == 1

    r = call("PATCH", "/users/me", user=user, json_body={"timezone": "Pacific/Auckland"})

    assert r.status == 200
    assert call("GET", "/activities/streak", user=user).data["longestStreak"] == 2
