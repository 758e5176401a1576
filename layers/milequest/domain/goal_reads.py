"""Goal reads: list, get, the active goal, progress and the daily series, and the goal's wire
shape the writes answer with too (docs/domain.md#goals-and-routes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import goals as goals_db
from milequest.domain import access
from milequest.domain.errors import NotFound
from milequest.domain.goal_forecast import goal_forecast
from milequest.domain.goal_progress import TRAILING_DAYS, stored_progress
from milequest.models.goals import DailyPoint, Goal, GoalProgress


def progress_of(conn: Connection[Any], row: goals_db.GoalRow, now: datetime) -> GoalProgress:
    recent = goals_db.recent_distance(
        conn, row, now - timedelta(days=TRAILING_DAYS), now - timedelta(days=7)
    )
    return stored_progress(row, now=now, trailing=recent.trailing, last_week=recent.last_week)


def goal_out(row: goals_db.GoalRow, progress: GoalProgress | None = None) -> Goal:
    rd = row.route_data
    return Goal.model_validate(
        {
            "id": row.id,
            "team_id": row.team_id,
            "name": row.name,
            "description": row.description,
            "status": row.status,
            "start_location": row.start_location,
            "end_location": row.end_location,
            "waypoints": row.waypoints,
            "target_distance": float(row.target_distance),
            "start_date": row.start_date,
            "end_date": row.end_date,
            "target_date": row.end_date,
            "total_distance": float(row.target_distance),
            "current_distance": float(row.total_distance),
            "completed_at": row.completed_at,
            "route": {
                "encoded_polyline": rd.get("encodedPolyline", ""),
                "bounds": rd.get("bounds"),
                "segments": rd.get("segments", []),
            },
            "progress": progress,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


def load_goal(conn: Connection[Any], team_id: UUID, goal_id: UUID, **kw: Any) -> goals_db.GoalRow:
    row = goals_db.get(conn, team_id, goal_id, **kw)
    if row is None:
        raise NotFound("Goal not found")
    return row


def list_goals(conn: Connection[Any], team_id: UUID, me: UUID) -> list[Goal]:
    access.require_member(conn, team_id, me)
    return [goal_out(r) for r in goals_db.list_for_team(conn, team_id)]


def get_goal(conn: Connection[Any], team_id: UUID, goal_id: UUID, me: UUID) -> Goal:
    access.require_member(conn, team_id, me)
    row = load_goal(conn, team_id, goal_id)
    progress = None if row.status == "DRAFT" else progress_of(conn, row, utc_now())
    return goal_out(row, progress)


def get_active_goal(conn: Connection[Any], team_id: UUID, me: UUID) -> Goal:
    access.require_member(conn, team_id, me)
    row = goals_db.active_for_team(conn, team_id)
    if row is None:
        raise NotFound("The team has no active goal")
    return goal_out(row, progress_of(conn, row, utc_now()))


def get_progress(conn: Connection[Any], team_id: UUID, goal_id: UUID, me: UUID) -> GoalProgress:
    access.require_member(conn, team_id, me)
    return progress_with_forecast(conn, load_goal(conn, team_id, goal_id), utc_now())


def progress_with_forecast(
    conn: Connection[Any], row: goals_db.GoalRow, now: datetime
) -> GoalProgress:
    """Only /progress and team analytics carry the forecast: it is a simulation the goal's
    other reads skip."""
    pending = goal_forecast(conn, row, now)
    return progress_of(conn, row, now).model_copy(update={"forecast": pending.result()})


def daily_series(
    conn: Connection[Any], team_id: UUID, goal_id: UUID, me: UUID, days: int
) -> list[DailyPoint]:
    access.require_member(conn, team_id, me)
    row = load_goal(conn, team_id, goal_id)
    last = utc_now().date()
    rows = goals_db.daily(conn, row, last - timedelta(days=days - 1), last)
    return [DailyPoint.model_validate(r) for r in rows]


def utc_now() -> datetime:
    """The clock every goal rule reads (one place, so dates and progress agree)."""
    return datetime.now(UTC)
