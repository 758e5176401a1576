"""Activation backfill vs concurrent activity writes: no contribution is lost or doubled."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from tests.integration.goals.conftest import create_goal
from tests.support.api import call


def test_activity_logged_during_activation_is_counted_exactly_once(team, db) -> None:
    now = datetime.now(UTC)
    goal = create_goal(team, startDate=(now - timedelta(days=1)).isoformat())

    def log(i: int):
        user = team.member if i % 2 else team.admin
        body = {
            "distance": 1000 + i,
            "duration": 600,
            "timestamp": (now - timedelta(minutes=30 + i)).isoformat(),
        }
        return call("POST", "/activities", user=user, json_body=body)

    def activate():
        return call(
            "PATCH",
            f"/teams/{team.id}/goals/{goal['id']}",
            user=team.admin,
            json_body={"status": "ACTIVE"},
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        logs = [pool.submit(log, i) for i in range(5)]
        activation = pool.submit(activate)
        logs += [pool.submit(log, i) for i in range(5, 10)]
        results = [f.result() for f in logs]
        assert activation.result().status == 200, activation.result().body
    assert all(r.status == 201 for r in results), [r.body for r in results]

    stored = db.execute(
        "SELECT total_distance, total_activities FROM team_progress WHERE goal_id = %s",
        (goal["id"],),
    ).fetchone()
    assert (float(stored[0]), stored[1]) == (sum(1000 + i for i in range(10)), 10)
