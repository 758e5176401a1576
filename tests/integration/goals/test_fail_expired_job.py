from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions.jobs import fail_expired_goals
from tests.integration.goals.conftest import create_goal


def _expire(db, goal_id: str) -> None:
    now = datetime.now(UTC)
    db.execute(
        "UPDATE team_goals SET start_date = %s, end_date = %s WHERE id = %s",
        (now - timedelta(days=10), now - timedelta(minutes=1), goal_id),
    )


def test_expired_active_goals_fail_and_members_are_notified_once(team, db) -> None:
    expired = create_goal(team, status="ACTIVE")
    draft = create_goal(team)
    _expire(db, expired["id"])
    _expire(db, draft["id"])

    first = fail_expired_goals.handler({}, None)
    assert expired["id"] in first["failed"] and draft["id"] not in first["failed"]
    statuses = dict(
        db.execute(
            "SELECT id::text, status FROM team_goals WHERE id = ANY(%s::uuid[])",
            ([expired["id"], draft["id"]],),
        ).fetchall()
    )
    assert statuses == {expired["id"]: "FAILED", draft["id"]: "DRAFT"}
    final = db.execute(
        "SELECT final_stats, completed_at FROM team_goals WHERE id = %s", (expired["id"],)
    ).fetchone()
    assert final[0]["totalDistance"] == 0 and final[1] is None

    second = fail_expired_goals.handler({}, None)
    assert expired["id"] not in second["failed"]
    notes = db.execute(
        "SELECT user_id, dedupe_key FROM notifications WHERE category = 'GOAL_FAILED' "
        "AND data->>'goalId' = %s ORDER BY user_id",
        (expired["id"],),
    ).fetchall()
    assert sorted(str(n[0]) for n in notes) == sorted([str(team.admin.id), str(team.member.id)])
    assert {n[1] for n in notes} == {f"goal-failed:{expired['id']}"}


def test_active_goals_still_running_are_untouched(team, db) -> None:
    goal = create_goal(team, status="ACTIVE")
    assert goal["id"] not in fail_expired_goals.handler({}, None)["failed"]
    status = db.execute("SELECT status FROM team_goals WHERE id = %s", (goal["id"],)).fetchone()
    assert status[0] == "ACTIVE"


def test_schedule_is_hourly() -> None:
    assert fail_expired_goals.SCHEDULE == "rate(1 hour)"
