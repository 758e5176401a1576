"""team_progress rows and the goal facts the activity write path needs.

Counters change only by atomic increments (`total = total + delta`) on rows updated in goal-id
order, after the teams they belong to were share-locked (see milequest.db.contributions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from milequest.db.contributions import COUNTED_ACTIVITIES
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


_LOCK = "SELECT 1 FROM team_progress WHERE goal_id = %(goal)s FOR UPDATE"
_APPLY = """
    WITH p AS (
        UPDATE team_progress p SET total_distance = p.total_distance + %(d)s,
               total_activities = p.total_activities + %(n)s,
               last_activity_at = CASE WHEN %(at)s::timestamptz IS NULL
                   THEN p.last_activity_at
                   ELSE greatest(p.last_activity_at, %(at)s::timestamptz) END
        FROM team_goals live
        WHERE p.goal_id = %(goal)s AND live.id = p.goal_id AND live.status = 'ACTIVE'
        RETURNING p.*)
    SELECT p.goal_id, p.team_id, g.name AS goal_name, g.status, g.target_distance,
           ARRAY(SELECT coalesce(s ->> 'cumulativeDistance', s ->> 'cumulative_distance',
                                 '0')::float8
                   FROM jsonb_array_elements(coalesce(g.route_data -> 'segments', '[]'))
                        WITH ORDINALITY AS e(s, i) ORDER BY i) AS segment_ends,
           p.total_distance, p.total_activities, p.last_activity_at,
           p.milestones_reached::int[] AS milestones_reached,
           p.waypoints_reached::int[] AS waypoints_reached
    FROM p JOIN team_goals g ON g.id = p.goal_id
"""


@dataclass(frozen=True)
class Delta:
    goal_id: UUID
    distance: Decimal
    count: int
    at: datetime | None  # the added activity's time (None: nothing added)

    def params(self) -> dict[str, Any]:
        return {"goal": self.goal_id, "d": self.distance, "n": self.count, "at": self.at}


def add(conn: Connection[Any], deltas: list[Delta]) -> dict[UUID, ProgressRow | None]:
    """Apply contribution deltas (in goal-id order) to goals that are still ACTIVE; a goal that
    is not has None.

    Each row lock comes first, in its own statement: a write that read the goal as ACTIVE may
    have waited there for the transaction that completed it. Under READ COMMITTED the update
    after it takes a new snapshot, so it sees that commit and leaves the frozen goal alone (an
    UPDATE that waited for the lock itself would still read the goal's old status). The
    statements are pipelined, so every lock and update costs one round trip in all while the
    rows stay locked until COMMIT; the server runs them in order, with those snapshots."""
    with conn.pipeline():
        sent = [
            (
                conn.execute(_LOCK, delta.params()),
                conn.cursor(row_factory=class_row(ProgressRow)).execute(_APPLY, delta.params()),
            )
            for delta in deltas
        ]
        results = [(lock.fetchone(), apply.fetchone()) for lock, apply in sent]
    out: dict[UUID, ProgressRow | None] = {}
    for delta, (locked, row) in zip(deltas, results, strict=True):
        out[delta.goal_id] = row if locked is not None else _create_and_add(conn, delta)
    return out


def _create_and_add(conn: Connection[Any], delta: Delta) -> ProgressRow | None:
    """The goal has no row yet (activation creates it; this is the fallback): create it, then
    lock and update it as `add` does."""
    conn.execute(
        """INSERT INTO team_progress (goal_id, team_id)
           SELECT id, team_id FROM team_goals WHERE id = %(goal)s
           ON CONFLICT (goal_id) DO NOTHING""",
        delta.params(),
    )
    conn.execute(_LOCK, delta.params())
    return fetch_one(conn, ProgressRow, _APPLY, delta.params())


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
    return fetch_all(
        conn,
        Contributor,
        f"""SELECT c.user_id, sum(c.distance) AS distance, count(*)::int AS activities
            FROM ({COUNTED_ACTIVITIES}) c GROUP BY c.user_id
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
