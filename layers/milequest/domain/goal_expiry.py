"""The scheduled side of goals: ACTIVE goals whose end date passed become FAILED."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import goals as goals_db
from milequest.db import teams as teams_db
from milequest.db.notifications import live_member_ids, notify


def fail_expired_goals(conn: Connection[Any]) -> list[UUID]:
    """Mark ACTIVE goals past their end date FAILED and notify the team (once per goal).

    One transaction per goal, team row locked first (the goal status locking protocol), so a
    concurrent completion by an activity write and this job never both win; running it again
    finds nothing to do, and the notification dedupe key makes a retry harmless."""
    failed: list[UUID] = []
    for goal_id, team_id in goals_db.expired_active(conn):
        with conn.transaction():
            teams_db.lock_team(conn, team_id)
            goal = goals_db.fail_if_expired(conn, goal_id)
            if goal is None:
                continue
            if goal.team_live:
                notify_failed(
                    conn,
                    goal.id,
                    goal.team_id,
                    f"Goal not reached: {goal.name}",
                    "The goal's end date passed before the team reached its target.",
                )
            failed.append(goal.id)
    return failed


def notify_failed(
    conn: Connection[Any], goal_id: UUID, team_id: UUID, title: str, body: str
) -> None:
    """Tell the team's live members their goal failed (expired, or an admin gave it up): once
    per goal, whichever way it failed (one dedupe key)."""
    notify(
        conn,
        live_member_ids(conn, team_id),
        "GOAL_FAILED",
        title,
        body,
        team_id=team_id,
        data={"goalId": str(goal_id)},
        dedupe_key=f"goal-failed:{goal_id}",
    )
