"""GET /teams/{teamId}/analytics (docs/analytics.md): weekly series in my timezone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from milequest.domain.team_analytics import team_analytics
from tests.integration.goals.conftest import add_activity, create_goal
from tests.support.api import call


def _members_since_january(db, team) -> None:
    db.execute(
        "UPDATE team_members SET joined_at = '2026-01-01T00:00:00Z' WHERE team_id = %s",
        (team.id,),
    )


def test_weeks_follow_my_timezone_across_the_dst_change(team, db) -> None:
    _members_since_january(db, team)
    # Given a requester in Lisbon, where summer time starts on Sunday 29 March 2026 at 01:00 UTC
    db.execute("UPDATE users SET timezone = 'Europe/Lisbon' WHERE id = %s", (team.admin.id,))
    # a walk on Sunday 22 March, 23:30 local (WET = UTC): the week of 16 March
    add_activity(db, team.admin, 1000, datetime(2026, 3, 22, 23, 30, tzinfo=UTC))
    # Sunday 29 March, 23:30 local (WEST = UTC+1), 22:30 UTC: still the week of 23 March
    add_activity(db, team.admin, 2000, datetime(2026, 3, 29, 22, 30, tzinfo=UTC))
    # 23:30 UTC that Sunday is already Monday 00:30 in Lisbon: the week of 30 March
    add_activity(db, team.member, 4000, datetime(2026, 3, 29, 23, 30, tzinfo=UTC))
    now = datetime(2026, 4, 1, 12, tzinfo=UTC)

    a = team_analytics(db, uuid.UUID(team.id), team.admin.id, 3, now)

    assert [(str(w.start_date), w.distance, w.activities) for w in a.weekly] == [
        ("2026-03-16", 1000.0, 1),
        ("2026-03-23", 2000.0, 1),
        ("2026-03-30", 4000.0, 1),  # the current, partial week is last
    ]
    # two members all along: one of them walked each week
    assert [w.active_members for w in a.weekly] == [1, 1, 1]
    assert [w.participation_rate for w in a.weekly] == [0.5, 0.5, 0.5]
    assert a.change_percent == 100.0  # last full week (2 km) against the one before (1 km)
    assert a.trend == "increasing"
    assert a.goal is None
    assert [(c.user_id, c.distance) for c in a.top_contributors] == [
        (team.member.id, 4000.0),
        (team.admin.id, 3000.0),
    ]


def test_a_utc_requester_sees_the_same_walks_in_other_weeks(team, db) -> None:
    _members_since_january(db, team)
    add_activity(db, team.admin, 2000, datetime(2026, 3, 29, 22, 30, tzinfo=UTC))
    add_activity(db, team.member, 4000, datetime(2026, 3, 29, 23, 30, tzinfo=UTC))
    now = datetime(2026, 4, 1, 12, tzinfo=UTC)

    a = team_analytics(db, uuid.UUID(team.id), team.admin.id, 2, now)

    # Both walks are on Sunday 29 March in UTC
    assert [(str(w.start_date), w.distance) for w in a.weekly] == [
        ("2026-03-23", 6000.0),
        ("2026-03-30", 0.0),
    ]
    assert a.change_percent is None  # no week before the only full one


def test_private_walks_count_for_the_team_but_not_in_a_persons_figures(team, db) -> None:
    now = datetime.now(UTC)
    add_activity(db, team.admin, 3000, now - timedelta(hours=2))
    db.execute(
        "INSERT INTO activities (user_id, distance, duration, activity_at, is_private) "
        "VALUES (%s, 5000, 5000, %s, true)",
        (team.member.id, now - timedelta(hours=1)),
    )
    r = call("GET", f"/teams/{team.id}/analytics", user=team.admin, query={"weeks": 1})
    assert r.status == 200, r.body
    assert r.data["weekly"][-1]["distance"] == 8000.0
    assert r.data["weekly"][-1]["activeMembers"] == 2
    assert [c["distance"] for c in r.data["topContributors"]] == [3000.0]


def test_the_active_goal_has_its_forecast_and_required_daily_distance(team, db) -> None:
    now = datetime.now(UTC)
    goal = create_goal(
        team,
        status="ACTIVE",
        startDate=(now - timedelta(days=10)).isoformat(),
        targetDistance=200_000,
    )
    for days_ago in range(1, 8):
        add_activity(db, team.member, 5000, now - timedelta(days=days_ago))

    r = call("GET", f"/teams/{team.id}/analytics", user=team.member)
    progress = call("GET", f"/teams/{team.id}/goals/{goal['id']}/progress", user=team.member)

    assert r.status == 200, r.body
    assert r.data["goal"]["id"] == goal["id"]
    forecast = r.data["goal"]["forecast"]
    assert forecast is not None and forecast == progress.data["forecast"]
    assert forecast["p10"] <= forecast["p50"] <= forecast["p90"]
    assert 0 <= forecast["probabilityOnTime"] <= 1
    # Two requests, two instants: the days left differ by the time between them.
    assert r.data["goal"]["requiredDailyDistance"] == pytest.approx(
        progress.data["requiredDailyDistance"], abs=0.01
    )
    assert len(r.data["weekly"]) == 12


def test_an_active_goal_without_a_deadline_has_a_forecast_and_no_required_distance(
    team, db
) -> None:
    now = datetime.now(UTC)
    goal = create_goal(
        team,
        status="ACTIVE",
        startDate=(now - timedelta(days=10)).isoformat(),
        endDate=None,
        targetDistance=200_000,
    )
    assert goal["endDate"] is None
    for days_ago in range(1, 8):
        add_activity(db, team.member, 5000, now - timedelta(days=days_ago))

    r = call("GET", f"/teams/{team.id}/analytics", user=team.member)

    assert r.status == 200, r.body
    assert r.data["goal"]["id"] == goal["id"]
    assert r.data["goal"]["requiredDailyDistance"] is None
    forecast = r.data["goal"]["forecast"]
    assert forecast is not None and forecast["p50"] is not None
    assert forecast["probabilityOnTime"] is None  # no deadline to be on time for


def test_bad_weeks_is_400(team) -> None:
    for weeks in ("0", "53", "x"):
        r = call("GET", f"/teams/{team.id}/analytics", user=team.admin, query={"weeks": weeks})
        assert r.status == 400, (weeks, r.body)


def test_progress_forecast_is_null_with_fewer_than_three_active_days(team, db) -> None:
    now = datetime.now(UTC)
    goal = create_goal(team, status="ACTIVE", startDate=(now - timedelta(days=10)).isoformat())
    add_activity(db, team.admin, 5000, now - timedelta(days=1))
    add_activity(db, team.member, 5000, now - timedelta(days=1, hours=1))
    add_activity(db, team.member, 5000, now - timedelta(days=2))
    r = call("GET", f"/teams/{team.id}/goals/{goal['id']}/progress", user=team.admin)
    assert r.status == 200 and r.data["forecast"] is None  # two active days
    add_activity(db, team.admin, 5000, now - timedelta(days=3))
    r = call("GET", f"/teams/{team.id}/goals/{goal['id']}/progress", user=team.admin)
    assert r.data["forecast"] is not None
