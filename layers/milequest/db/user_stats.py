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
    """Lock (creating it if a user somehow has none) the user's stats row."""
    conn.execute("INSERT INTO user_stats (user_id) VALUES (%s) ON CONFLICT DO NOTHING", (user_id,))
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
    """Atomic increments of the totals; streak and last activity as computed under the lock."""
    conn.execute(
        """UPDATE user_stats SET total_distance = total_distance + %s,
                  total_duration = total_duration + %s,
                  total_activities = total_activities + %s,
                  current_streak = %s, longest_streak = %s, last_activity_date = %s,
                  last_activity_at = %s
           WHERE user_id = %s""",
        (
            d_distance,
            d_duration,
            d_count,
            streak.current,
            streak.longest,
            streak.last_date,
            last_activity_at,
            user_id,
        ),
    )
    row = get(conn, user_id)
    assert row is not None
    return row


# Gaps and islands over the user's distinct local activity days: consecutive days share
# (day - row_number). The most recent island is the streak ending at the last active day.
_STREAKS = """
    WITH days AS (
        SELECT DISTINCT (a.activity_at AT TIME ZONE %(tz)s)::date AS d
        FROM activities a WHERE a.user_id = %(user)s
    ), islands AS (
        SELECT max(d) AS last_day, count(*) AS len
        FROM (SELECT d, d - (row_number() OVER (ORDER BY d))::int AS grp FROM days) x
        GROUP BY grp
    )
    SELECT (SELECT len FROM islands ORDER BY last_day DESC LIMIT 1),
           (SELECT max(len) FROM islands),
           (SELECT max(last_day) FROM islands)
"""


def recompute_streak(conn: Connection[Any], user_id: UUID, tz: str) -> StreakState:
    row = conn.execute(_STREAKS, {"user": user_id, "tz": tz}).fetchone()
    assert row is not None
    return StreakState(current=int(row[0] or 0), longest=int(row[1] or 0), last_date=row[2])


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
