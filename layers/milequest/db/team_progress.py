"""team_progress rows and the goal facts the activity write path needs.

Counters change only by atomic increments (`total = total + delta`) on rows updated in goal-id
order, after the teams they belong to were share-locked: the server functions of
migrations/0740 do both (the lock protocol is in milequest.db.contributions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.types.json import Jsonb

from milequest.db.contributions import GOAL_WALKS
from milequest.db.rows import fetch_all, fetch_one


@dataclass(frozen=True)
class ProgressRow:
    goal_id: UUID
    team_id: UUID
    goal_name: str
    status: str
    target_distance: Decimal
    segment_ends: list[float]  # cumulative distance at the end of each route segment
    total_distance: Decimal
    total_activities: int
    last_activity_at: datetime | None
    milestones_reached: list[int]
    waypoints_reached: list[int]
    # What the row has reached and not yet recorded, decided by SQL (migrations/0790,
    # progress_reached): the milestones (percent), the waypoints (index), the target.
    new_milestones: list[int]
    new_waypoints: list[int]
    completes: bool


@dataclass(frozen=True)
class MovedRow(ProgressRow):
    counted_old: bool  # the activity's old version counted for this goal
    counted_new: bool  # its new version does


def move(
    conn: Connection[Any],
    user_id: UUID,
    old: tuple[datetime, Decimal] | None,
    new: tuple[datetime, Decimal] | None,
) -> list[MovedRow]:
    """Subtract `old` (timestamp, distance) from the goals it counted for and add `new` to the
    goals it counts for, in one call of `goal_progress_move` (migrations/0790, over 0740's
    team_progress_move): the team share locks, the goal lookup and each goal's row lock and
    update, in the lock order. One row per goal that moved; frozen goals have none. The rows
    stay locked until COMMIT."""
    old_at, old_distance = old if old is not None else (None, None)
    new_at, new_distance = new if new is not None else (None, None)
    return fetch_all(
        conn,
        MovedRow,
        "SELECT * FROM goal_progress_move(%s, %s, %s, %s, %s)",
        (user_id, old_at, old_distance, new_at, new_distance),
    )


def add(
    conn: Connection[Any], goal_id: UUID, distance: Decimal, count: int, at: datetime | None
) -> ProgressRow | None:
    """Apply one contribution delta to a goal that is still ACTIVE (None when it is not), through
    `goal_progress_add` (migrations/0790, over 0740's team_progress_add), which locks the row
    first. `at`: the added activity's
    time (None: nothing added)."""
    return fetch_one(
        conn,
        ProgressRow,
        "SELECT * FROM goal_progress_add(%s, %s, %s, %s)",
        (goal_id, distance, count, at),
    )


def set_last_activity(conn: Connection[Any], goal_id: UUID, at: datetime | None) -> None:
    conn.execute("UPDATE team_progress SET last_activity_at = %s WHERE goal_id = %s", (at, goal_id))


def mark_reached(
    conn: Connection[Any], goal_id: UUID, milestones: list[int], waypoints: list[int]
) -> tuple[list[int], list[int]]:
    """Record milestones/waypoints as reached; returns the ones that were new (notify those)."""
    row = conn.execute(
        """WITH old AS (SELECT milestones_reached m, waypoints_reached w FROM team_progress
                        WHERE goal_id = %(goal)s)
           UPDATE team_progress p SET
               milestones_reached = ARRAY(SELECT DISTINCT x FROM unnest(p.milestones_reached
                                          || %(m)s::smallint[]) x ORDER BY x),
               waypoints_reached = ARRAY(SELECT DISTINCT x FROM unnest(p.waypoints_reached
                                         || %(w)s::smallint[]) x ORDER BY x)
           FROM old WHERE p.goal_id = %(goal)s
           RETURNING ARRAY(SELECT unnest(%(m)s::smallint[]) EXCEPT SELECT unnest(old.m))::int[],
                     ARRAY(SELECT unnest(%(w)s::smallint[]) EXCEPT SELECT unnest(old.w))::int[]""",
        {"goal": goal_id, "m": milestones, "w": waypoints},
    ).fetchone()
    if row is None:
        return [], []
    return sorted(row[0]), sorted(row[1])


@dataclass(frozen=True)
class Contributor:
    user_id: UUID
    distance: Decimal
    activities: int


def complete_goal(conn: Connection[Any], goal_id: UUID, final_stats: dict[str, Any]) -> bool:
    """ACTIVE → COMPLETED exactly once: only the transaction that flips the status gets True."""
    row = conn.execute(
        """UPDATE team_goals SET status = 'COMPLETED', completed_at = now(), final_stats = %s
           WHERE id = %s AND status = 'ACTIVE' RETURNING id""",
        (Jsonb(final_stats), goal_id),
    ).fetchone()
    return row is not None


def contributors(conn: Connection[Any], goal_id: UUID) -> list[Contributor]:
    """Each walker's counted distance and walks for the goal, best first. Read when the goal
    completes, inside the completing walk's transaction and so under the progress row's lock:
    walker by walker (db.contributions.counted_walks), so the cost follows the team, not the
    table, while the team's writers queue behind the lock."""
    return fetch_all(
        conn,
        Contributor,
        f"""SELECT c.user_id, sum(c.distance) AS distance, count(*)::int AS activities
             FROM ({GOAL_WALKS}) c
            GROUP BY c.user_id
            ORDER BY sum(c.distance) DESC, c.user_id""",
        {"goal": goal_id},
    )


@dataclass(frozen=True)
class StoredProgress:
    goal_id: UUID
    team_id: UUID
    total_distance: Decimal
    total_activities: int
    last_activity_at: datetime | None


_STORED = """
    SELECT g.id AS goal_id, g.team_id, coalesce(p.total_distance, 0) AS total_distance,
           coalesce(p.total_activities, 0) AS total_activities, p.last_activity_at
    FROM team_goals g JOIN teams t ON t.id = g.team_id AND t.deleted_at IS NULL
    LEFT JOIN team_progress p ON p.goal_id = g.id
    WHERE g.status = 'ACTIVE'
"""


def active_goals(conn: Connection[Any]) -> list[StoredProgress]:
    """Every ACTIVE goal of a live team with its stored progress (zeros when no row yet)."""
    return fetch_all(conn, StoredProgress, _STORED + " ORDER BY g.id")


def active_goal(conn: Connection[Any], goal_id: UUID) -> StoredProgress | None:
    return fetch_one(conn, StoredProgress, _STORED + " AND g.id = %s", (goal_id,))


def overwrite(
    conn: Connection[Any],
    goal_id: UUID,
    total: Decimal,
    count: int,
    last_at: datetime | None,
) -> None:
    conn.execute(
        """INSERT INTO team_progress (goal_id, team_id, total_distance, total_activities,
                                      last_activity_at)
           SELECT id, team_id, %(t)s, %(n)s, %(at)s FROM team_goals WHERE id = %(goal)s
           ON CONFLICT (goal_id) DO UPDATE SET total_distance = EXCLUDED.total_distance,
               total_activities = EXCLUDED.total_activities,
               last_activity_at = EXCLUDED.last_activity_at""",
        {"goal": goal_id, "t": total, "n": count, "at": last_at},
    )
