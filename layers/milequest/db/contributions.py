"""The one definition of which goals an activity counts for (docs/domain.md#aggregates):

    every ACTIVE goal of every live team where the user was a live member at the activity's
    timestamp, with the timestamp inside [start_date, end_date] (no end for a goal without one).

The write path applies it in the server function `team_progress_move` (migrations/0740);
goal activation and reconciliation recompute with the queries here, so `team_progress` always
equals a recomputation from raw rows.

Locking protocol (prevents lost contributions between an activity write and a goal being
activated, completed or cancelled): activity writes share-lock the user's candidate teams;
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


def counted_walks(team: str, lo: str, hi: str, end: str) -> str:
    """The walks that count for a goal (the rule above) inside [`lo`, `hi`), as a subquery of
    (user_id, activity_at, distance); each argument is an SQL expression of timestamptz (the
    team's id for `team`; NULL for an open `hi`), a parameter or an outer column.

    Found walker by walker: each user in the team's membership history is one range of
    activities_by_user_time from their first join to their last leave (open while a member),
    narrowed to the goal's window and [lo, hi), so the cost follows the members and the window,
    not the table (the rule written as one subquery over all walks is a scan of every walk).
    Only a walker with several membership rows (left and re-joined) has each walk checked
    against the rows: gaps between memberships do not count, and a walk counts once.
    `least`/`greatest` skip NULLs: an open membership, an open `hi`."""
    return f"""
    SELECT a.user_id, a.activity_at, a.distance
      FROM (SELECT m.user_id, count(*) AS spans, min(m.joined_at) AS joined_at,
                   CASE WHEN count(m.left_at) = count(*) THEN max(m.left_at) END AS left_at
              FROM team_members m WHERE m.team_id = {team} GROUP BY m.user_id) m
     CROSS JOIN LATERAL (
           SELECT a.user_id, a.activity_at, a.distance FROM activities a
            WHERE a.user_id = m.user_id
              AND a.activity_at >= greatest(m.joined_at, {lo})
              AND a.activity_at < coalesce(least(m.left_at, {hi}), 'infinity')
              AND a.activity_at <= coalesce({end}, 'infinity')
              AND (m.spans = 1 OR EXISTS (
                   SELECT 1 FROM team_members h
                    WHERE h.team_id = {team} AND h.user_id = a.user_id
                      AND h.joined_at <= a.activity_at
                      AND (h.left_at IS NULL OR h.left_at > a.activity_at)))) a"""


# Every walk counted for the goal %(goal)s, over its whole window.
GOAL_WALKS = f"""
    SELECT c.* FROM team_goals g
     CROSS JOIN LATERAL ({
    counted_walks("g.team_id", "g.start_date", "NULL::timestamptz", "g.end_date")
}) c
     WHERE g.id = %(goal)s"""


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
    """Exact (total distance, activity count, latest activity) of a goal from raw rows (a
    goal's activation backfills its progress with it; the reconciliation checks with it)."""
    row = conn.execute(
        f"""SELECT coalesce(sum(distance), 0), count(*), max(activity_at)
            FROM ({GOAL_WALKS}) c""",
        {"goal": goal_id},
    ).fetchone()
    assert row is not None
    return Decimal(row[0]), int(row[1]), row[2]
