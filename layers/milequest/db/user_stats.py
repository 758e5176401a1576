"""user_stats rows: the per-user aggregates, and their recomputation from raw activities.

The row is locked `FOR UPDATE` at the start of every activity write of that user: it is the
first lock in the write path's order (user_stats → teams → team_progress), it serializes a
user's writes (so streaks and the rate limit are computed against a stable state), and it is
what the reconciliation job locks before it repairs the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_one


@dataclass(frozen=True)
class StatsRow:
    user_id: UUID
    total_distance: Decimal
    total_duration: int
    total_activities: int
    current_streak: int
    longest_streak: int
    last_activity_at: datetime | None
    last_activity_date: date | None
    timezone: str


@dataclass(frozen=True)
class StreakState:
    current: int  # length of the run of local days ending at last_date
    longest: int
    last_date: date | None


_SELECT = """
    SELECT s.user_id, s.total_distance, s.total_duration, s.total_activities, s.current_streak,
           s.longest_streak, s.last_activity_at, s.last_activity_date, u.timezone
    FROM user_stats s JOIN users u ON u.id = s.user_id
    WHERE s.user_id = %s
"""


def insert_for(conn: Connection[Any], user_id: UUID) -> None:
    """The zeroed stats row every new user gets, in the transaction that creates the user."""
    conn.execute("INSERT INTO user_stats (user_id) VALUES (%s)", (user_id,))


def lock(conn: Connection[Any], user_id: UUID) -> StatsRow:
    """Lock the user's stats row (creating it first if a user somehow has none)."""
    row = fetch_one(conn, StatsRow, _SELECT + " FOR UPDATE OF s", (user_id,))
    if row is None:
        conn.execute(
            "INSERT INTO user_stats (user_id) VALUES (%s) ON CONFLICT DO NOTHING", (user_id,)
        )
        row = fetch_one(conn, StatsRow, _SELECT + " FOR UPDATE OF s", (user_id,))
    assert row is not None
    return row


def get(conn: Connection[Any], user_id: UUID) -> StatsRow | None:
    return fetch_one(conn, StatsRow, _SELECT, (user_id,))


def apply(
    conn: Connection[Any],
    user_id: UUID,
    d_distance: Decimal,
    d_duration: int,
    d_count: int,
    streak: StreakState,
    last_activity_at: datetime | None,
) -> StatsRow:
    """Atomic increments of the totals; streak and last activity as computed under the lock.
    Returns the row as updated (`user_stats_apply`, migrations/0750: the one update, which
    activity creation runs on the server too)."""
    row = fetch_one(
        conn,
        StatsRow,
        "SELECT * FROM user_stats_apply(%s, %s::numeric, %s::bigint, %s::int, %s::int, %s::int,"
        " %s::date, %s::timestamptz)",
        (
            user_id,
            d_distance,
            d_duration,
            d_count,
            streak.current,
            streak.longest,
            streak.last_date,
            last_activity_at,
        ),
    )
    assert row is not None
    return row


# The user's distinct local activity days, as `streak_of_days` (migrations/0750) takes them:
# from the activity rows (the truth reconciliation compares against)...
_ACTIVITY_DAYS = """SELECT (a.activity_at AT TIME ZONE u.timezone)::date
                    FROM activities a JOIN users u ON u.id = a.user_id
                    WHERE a.user_id = %(user)s"""
# ...and from the maintained daily totals (the write path: one row per active day).
_DAILY_DAYS = "SELECT day FROM user_daily_totals WHERE user_id = %(user)s"


def _streak(conn: Connection[Any], user_id: UUID, days: str) -> StreakState:
    row = conn.execute(f"SELECT * FROM streak_of_days(ARRAY({days}))", {"user": user_id}).fetchone()
    assert row is not None
    return StreakState(current=int(row[0] or 0), longest=int(row[1] or 0), last_date=row[2])


def recompute_streak(conn: Connection[Any], user_id: UUID) -> StreakState:
    """The streak from the activity rows, in the user's timezone."""
    return _streak(conn, user_id, _ACTIVITY_DAYS)


def streak_from_days(conn: Connection[Any], user_id: UUID) -> StreakState:
    """The streak from the user's daily totals: one row per active day, not per activity."""
    return _streak(conn, user_id, _DAILY_DAYS)


@dataclass(frozen=True)
class Recomputed:
    total_distance: Decimal
    total_duration: int
    total_activities: int
    last_activity_at: datetime | None


def recompute_totals(conn: Connection[Any], user_id: UUID) -> Recomputed:
    row = conn.execute(
        """SELECT coalesce(sum(distance), 0), coalesce(sum(duration), 0), count(*),
                  max(activity_at)
           FROM activities WHERE user_id = %s""",
        (user_id,),
    ).fetchone()
    assert row is not None
    return Recomputed(Decimal(row[0]), int(row[1]), int(row[2]), row[3])


def overwrite(
    conn: Connection[Any], user_id: UUID, totals: Recomputed, streak: StreakState
) -> None:
    """Reconciliation: set the row to the recomputed values."""
    conn.execute(
        """UPDATE user_stats SET total_distance = %s, total_duration = %s,
                  total_activities = %s, last_activity_at = %s, current_streak = %s,
                  longest_streak = %s, last_activity_date = %s
           WHERE user_id = %s""",
        (
            totals.total_distance,
            totals.total_duration,
            totals.total_activities,
            totals.last_activity_at,
            streak.current,
            streak.longest,
            streak.last_date,
            user_id,
        ),
    )


def all_user_ids(conn: Connection[Any]) -> list[UUID]:
    return [r[0] for r in conn.execute("SELECT user_id FROM user_stats ORDER BY user_id")]
