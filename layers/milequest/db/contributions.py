"""The one definition of which goals an activity counts for (docs/domain.md#aggregates):

    every ACTIVE goal of every live team where the user was a live member at the activity's
    timestamp, with the timestamp inside [start_date, end_date] (no end for a goal without one).

Both the write path (activities) and goal activation/reconciliation use these queries, so
`team_progress` always equals a recomputation from raw rows.

Locking protocol (prevents lost contributions between an activity write and a goal being
activated, completed or cancelled): activity writes read the user's candidate teams `FOR SHARE`;
goal status changes lock the team row `FOR UPDATE`. So an activation waits for in-flight activity
writes of its members and vice versa, and whichever runs second sees the other's committed rows.
Order: user_stats row → team rows (FOR SHARE, by id) → team_progress rows (by goal id).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_value

# Membership at time :ts — joined at or before it, and not left before it.
_MEMBER_AT = """
    m.user_id = %(user)s AND m.joined_at <= %(ts)s AND (m.left_at IS NULL OR m.left_at > %(ts)s)
"""


_LOCK_TEAMS = f"""
    SELECT t.id FROM teams t
    WHERE t.deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND {_MEMBER_AT})
    ORDER BY t.id
    FOR SHARE OF t
"""
_GOALS_AT = f"""
    SELECT g.id FROM team_goals g
    JOIN teams t ON t.id = g.team_id AND t.deleted_at IS NULL
    WHERE g.status = 'ACTIVE'
      AND %(ts)s >= g.start_date AND (g.end_date IS NULL OR %(ts)s <= g.end_date)
      AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = g.team_id AND {_MEMBER_AT})
    ORDER BY g.id
"""


def lock_teams_and_find_goals(
    conn: Connection[Any], user_id: UUID, stamps: list[datetime]
) -> dict[datetime, list[UUID]]:
    """Share-lock the live teams the user was a member of at each of `stamps` (in time order,
    each set in id order; see module docstring), then find the ACTIVE goals an activity at each
    stamp counts for, by goal id.

    One round trip: the statements are pipelined. The server still runs them one after the
    other, each with its own snapshot, so the goal queries start after every lock was granted
    and see what the transaction that held a team row committed (exactly as separate round
    trips would)."""
    with conn.pipeline():
        for at in stamps:
            conn.execute(_LOCK_TEAMS, {"user": user_id, "ts": at})
        found = [conn.execute(_GOALS_AT, {"user": user_id, "ts": at}) for at in stamps]
        return {at: [r[0] for r in cur.fetchall()] for at, cur in zip(stamps, found, strict=True)}


# Activities that count for a goal, as a reusable subquery (parameter: %(goal)s).
COUNTED_ACTIVITIES = """
    SELECT a.* FROM activities a
    JOIN team_goals g ON g.id = %(goal)s
    WHERE a.activity_at >= g.start_date
      AND (g.end_date IS NULL OR a.activity_at <= g.end_date)
      AND EXISTS (SELECT 1 FROM team_members m
                  WHERE m.team_id = g.team_id AND m.user_id = a.user_id
                    AND m.joined_at <= a.activity_at
                    AND (m.left_at IS NULL OR m.left_at > a.activity_at))
"""


def last_activity_at(conn: Connection[Any], goal_id: UUID) -> datetime | None:
    """The latest activity counted for the goal: per membership of its team, one probe of the
    (user_id, activity_at) index for the latest activity inside both the membership and the
    goal's window, so it costs the team's size, not its history."""
    return fetch_value(
        conn,
        """SELECT max(x.at) FROM team_goals g
           JOIN team_members m ON m.team_id = g.team_id
           CROSS JOIN LATERAL (
               SELECT a.activity_at AS at FROM activities a
               WHERE a.user_id = m.user_id
                 AND a.activity_at >= g.start_date AND a.activity_at >= m.joined_at
                 AND (m.left_at IS NULL OR a.activity_at < m.left_at)
                 AND (g.end_date IS NULL OR a.activity_at <= g.end_date)
               ORDER BY a.activity_at DESC LIMIT 1) x
           WHERE g.id = %(goal)s""",
        {"goal": goal_id},
    )


def recomputed(conn: Connection[Any], goal_id: UUID) -> tuple[Decimal, int, datetime | None]:
    """Exact (total distance, activity count, latest activity) of a goal from raw rows."""
    row = conn.execute(
        f"""SELECT coalesce(sum(distance), 0), count(*), max(activity_at)
            FROM ({COUNTED_ACTIVITIES}) c""",
        {"goal": goal_id},
    ).fetchone()
    assert row is not None
    return Decimal(row[0]), int(row[1]), row[2]
