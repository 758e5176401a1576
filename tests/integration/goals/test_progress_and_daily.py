from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.goals.conftest import add_activity, create_goal
from tests.support.api import call


def test_progress_endpoint_reports_position_and_pace(team, db) -> None:
    now = datetime.now(UTC)
    goal = create_goal(team, status="ACTIVE", startDate=(now - timedelta(days=3)).isoformat())
    # Stored progress as the activity write path would maintain it.
    add_activity(db, team.member, 50_000, now - timedelta(hours=1))
    db.execute(
        "UPDATE team_progress SET total_distance = 50000, total_activities = 1, "
        "last_activity_at = %s WHERE goal_id = %s",
        (now - timedelta(hours=1), goal["id"]),
    )
    p = call("GET", f"/teams/{team.id}/goals/{goal['id']}/progress", user=team.member).data
    assert p["totalDistance"] == 50_000
    assert p["percentComplete"] == pytest.approx(50_000 / goal["targetDistance"] * 100, abs=0.01)
    assert p["remainingDistance"] == pytest.approx(goal["targetDistance"] - 50_000, abs=0.01)
    assert p["currentSegmentIndex"] == 0
    assert 38.7223 < p["currentPosition"]["lat"] < 41.1579
    assert p["averageDailyDistance"] == pytest.approx(50_000 / 3, rel=0.01)
    assert p["projectedCompletionDate"] is not None
    assert p["daysRemaining"] == 30
    assert p["lastActivityAt"] is not None
    assert set(p) >= {"requiredDailyDistance", "onTrack", "distanceToNextWaypoint"}


def test_draft_progress_is_zero(team) -> None:
    goal = create_goal(team)
    p = call("GET", f"/teams/{team.id}/goals/{goal['id']}/progress", user=team.admin).data
    assert p["totalDistance"] == 0 and p["percentComplete"] == 0


def test_daily_series_counts_activities_per_utc_day(team, db, make_user) -> None:
    now = datetime.now(UTC)
    goal = create_goal(team, status="ACTIVE", startDate=(now - timedelta(days=10)).isoformat())
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    add_activity(db, team.member, 2000, today + timedelta(minutes=1))
    add_activity(db, team.admin, 3000, today + timedelta(minutes=2))
    add_activity(db, team.admin, 1000, today - timedelta(days=2) + timedelta(hours=3))
    outsider = make_user("Outsider")
    add_activity(db, outsider, 9000, today + timedelta(minutes=3))  # not a member: not counted
    days = call("GET", f"/teams/{team.id}/goals/{goal['id']}/daily", user=team.member).data
    assert len(days) == 7
    assert days[-1]["date"] == today.date().isoformat()
    if now - today > timedelta(minutes=2):
        assert days[-1] == {
            "date": today.date().isoformat(),
            "distance": 5000,
            "activities": 2,
            "activeMembers": 2,
        }
    assert days[-3]["distance"] == 1000 and days[-3]["activeMembers"] == 1
    assert days[0]["distance"] == 0
    longer = call(
        "GET", f"/teams/{team.id}/goals/{goal['id']}/daily", user=team.member, query={"days": 90}
    ).data
    assert len(longer) == 90
    bad = call(
        "GET", f"/teams/{team.id}/goals/{goal['id']}/daily", user=team.member, query={"days": 91}
    )
    assert bad.status == 400
