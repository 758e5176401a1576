"""team_goals rows (migrations/0004). The route geometry is written as EWKT via
`ST_GeogFromText`; reads use `route_data` (segments, bounds, polyline, waypoints)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.types.json import Jsonb

from milequest.db.contributions import counted_walks
from milequest.db.rows import fetch_all, fetch_one, fetch_value

ONE_ACTIVE_INDEX = "team_goals_one_active"


@dataclass(frozen=True)
class GoalRow:
    id: UUID
    team_id: UUID
    created_by: UUID | None
    name: str
    description: str | None
    status: str
    start_location: dict[str, Any]
    end_location: dict[str, Any]
    waypoints: list[dict[str, Any]]
    route_data: dict[str, Any]
    target_distance: Decimal
    start_date: datetime
    end_date: datetime | None
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    total_distance: Decimal
    total_activities: int
    last_activity_at: datetime | None


_SELECT = """
    SELECT g.id, g.team_id, g.created_by, g.name, g.description, g.status, g.start_location,
           g.end_location, g.waypoints, g.route_data, g.target_distance, g.start_date,
           g.end_date, g.completed_at, g.created_at, g.updated_at,
           coalesce(p.total_distance, 0) AS total_distance,
           coalesce(p.total_activities, 0) AS total_activities, p.last_activity_at
    FROM team_goals g LEFT JOIN team_progress p ON p.goal_id = g.id
"""


def insert(conn: Connection[Any], values: dict[str, Any]) -> UUID:
    """Insert a goal; `values` holds the columns plus `route_wkt` (EWKT LineString)."""
    params = dict(values)
    for key in ("start_location", "end_location", "waypoints", "route_data"):
        params[key] = Jsonb(params[key])
    goal_id: UUID = fetch_value(
        conn,
        """INSERT INTO team_goals (team_id, created_by, name, description, status,
               start_location, end_location, waypoints, route_data, route_geom,
               target_distance, start_date, end_date)
           VALUES (%(team_id)s, %(created_by)s, %(name)s, %(description)s, %(status)s,
               %(start_location)s, %(end_location)s, %(waypoints)s, %(route_data)s,
               ST_GeogFromText(%(route_wkt)s), %(target_distance)s, %(start_date)s,
               %(end_date)s)
           RETURNING id""",
        params,
    )
    return goal_id


_UPDATABLE = (
    "name",
    "description",
    "status",
    "start_location",
    "end_location",
    "waypoints",
    "route_data",
    "target_distance",
    "start_date",
    "end_date",
)


def update(conn: Connection[Any], goal_id: UUID, changes: dict[str, Any]) -> None:
    """Set the given columns (names from a fixed list; `route_wkt` rewrites route_geom)."""
    sets: list[str] = []
    params: dict[str, Any] = {"id": goal_id}
    for key, value in changes.items():
        if key == "route_wkt":
            sets.append("route_geom = ST_GeogFromText(%(route_wkt)s)")
        elif key in _UPDATABLE:
            sets.append(f"{key} = %({key})s")
        else:
            raise ValueError(f"not an updatable goal column: {key}")
        is_json = key in ("start_location", "end_location", "waypoints", "route_data")
        params[key] = Jsonb(value) if is_json else value
    if sets:
        conn.execute(f"UPDATE team_goals SET {', '.join(sets)} WHERE id = %(id)s", params)


def get(
    conn: Connection[Any], team_id: UUID, goal_id: UUID, *, lock: bool = False
) -> GoalRow | None:
    sql = _SELECT + " WHERE g.id = %s AND g.team_id = %s"
    if lock:
        sql += " FOR UPDATE OF g"
    return fetch_one(conn, GoalRow, sql, (goal_id, team_id))


def list_for_team(conn: Connection[Any], team_id: UUID) -> list[GoalRow]:
    return fetch_all(
        conn,
        GoalRow,
        _SELECT + " WHERE g.team_id = %s ORDER BY g.created_at DESC, g.id DESC",
        (team_id,),
    )


def active_for_team(conn: Connection[Any], team_id: UUID) -> GoalRow | None:
    return fetch_one(
        conn, GoalRow, _SELECT + " WHERE g.team_id = %s AND g.status = 'ACTIVE'", (team_id,)
    )


def delete(conn: Connection[Any], goal_id: UUID) -> None:
    conn.execute("DELETE FROM team_goals WHERE id = %s", (goal_id,))


def expired_active(conn: Connection[Any]) -> list[tuple[UUID, UUID]]:
    """(goal id, team id) of ACTIVE goals whose end_date has passed, by team id."""
    rows = conn.execute(
        """SELECT id, team_id FROM team_goals
           WHERE status = 'ACTIVE' AND end_date < now() ORDER BY team_id, id"""
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


@dataclass(frozen=True)
class FailedGoal:
    id: UUID
    team_id: UUID
    name: str
    team_live: bool


def fail_if_expired(conn: Connection[Any], goal_id: UUID) -> FailedGoal | None:
    """ACTIVE → FAILED once, if still ACTIVE and past end_date; freezes final stats."""
    return fetch_one(
        conn,
        FailedGoal,
        """UPDATE team_goals g SET status = 'FAILED',
               final_stats = jsonb_build_object(
                   'totalDistance', coalesce(p.total_distance, 0),
                   'totalActivities', coalesce(p.total_activities, 0),
                   'targetDistance', g.target_distance)
           FROM teams t
           LEFT JOIN team_progress p ON p.goal_id = %(goal)s
           WHERE g.id = %(goal)s AND t.id = g.team_id
             AND g.status = 'ACTIVE' AND g.end_date < now()
           RETURNING g.id, g.team_id, g.name, t.deleted_at IS NULL AS team_live""",
        {"goal": goal_id},
    )


def freeze_final_stats(conn: Connection[Any], goal_id: UUID) -> None:
    """Record the progress a goal ended with (a goal that failed or was given up)."""
    conn.execute(
        """UPDATE team_goals g SET final_stats = jsonb_build_object(
               'totalDistance', coalesce(p.total_distance, 0),
               'totalActivities', coalesce(p.total_activities, 0),
               'targetDistance', g.target_distance)
           FROM team_goals self LEFT JOIN team_progress p ON p.goal_id = self.id
           WHERE g.id = %(goal)s AND self.id = g.id""",
        {"goal": goal_id},
    )


# The goal's counted walks inside [%(lo)s, %(hi)s). The goal's dates come in as parameters
# (see `_bounds`): a bound naming a team_goals column would leave the planner a range open on
# one side.
_COUNTED_IN = counted_walks(
    "%(team)s", "%(lo)s::timestamptz", "%(hi)s::timestamptz", "%(end)s::timestamptz"
)


def _bounds(goal: GoalRow, lo: datetime, hi: datetime | None) -> dict[str, Any]:
    """Parameters of _COUNTED_IN: [lo, hi) narrowed to the goal's [start_date, end_date]."""
    return {"team": goal.team_id, "lo": max(lo, goal.start_date), "hi": hi, "end": goal.end_date}


@dataclass(frozen=True)
class RecentDistance:
    trailing: Decimal  # since `trailing_since` (the projection's pace)
    last_week: Decimal  # since `week_since` (the trend)


def recent_distance(
    conn: Connection[Any], goal: GoalRow, trailing_since: datetime, week_since: datetime
) -> RecentDistance:
    """Distance counted for the goal from activities at or after each of the two instants
    (`week_since` is the later one)."""
    row = fetch_one(
        conn,
        RecentDistance,
        f"""SELECT coalesce(sum(c.distance), 0) AS trailing,
                   coalesce(sum(c.distance) FILTER (WHERE c.activity_at >= %(week)s), 0)
                       AS last_week
            FROM ({_COUNTED_IN}) c""",
        {**_bounds(goal, min(trailing_since, week_since), None), "week": week_since},
    )
    assert row is not None  # an aggregate always answers one row
    return row


@dataclass(frozen=True)
class DailyRow:
    date: date
    distance: Decimal
    activities: int
    active_members: int


def daily(conn: Connection[Any], goal: GoalRow, first: date, last: date) -> list[DailyRow]:
    """One row per UTC day in [first, last] (zeros on days without counted activities)."""
    lo = datetime.combine(first, time(), UTC)
    hi = datetime.combine(last + timedelta(days=1), time(), UTC)
    return fetch_all(
        conn,
        DailyRow,
        f"""WITH c AS ({_COUNTED_IN})
            SELECT d::date AS date, coalesce(sum(c.distance), 0) AS distance,
                   count(c.user_id)::int AS activities,
                   count(DISTINCT c.user_id)::int AS active_members
            FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') d
            LEFT JOIN c ON (c.activity_at AT TIME ZONE 'UTC')::date = d::date
            GROUP BY d ORDER BY d""",
        {**_bounds(goal, lo, hi), "first": first, "last": last},
    )
