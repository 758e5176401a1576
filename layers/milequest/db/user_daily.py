"""user_daily_totals rows: a user's totals per local day, kept by the activity write path.

The local day is computed in SQL from `users.timezone` as read by the statement itself: the
write path runs these after it locked the user's stats row, so a timezone change that committed
while it waited for that lock (and rebuilt the rows in the new zone) is the one it uses.
A day whose last activity went away has no row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_one, fetch_value

_LOCAL_DAY = "(%(at)s::timestamptz AT TIME ZONE u.timezone)::date"


@dataclass(frozen=True)
class Day:
    day: date
    activities: int  # what the day holds after the change


def add(
    conn: Connection[Any], user_id: UUID, at: datetime, distance: Decimal, duration: int
) -> Day:
    """Count one activity at `at` into its local day (`user_daily_add`, migrations/0750: the
    one upsert, which activity creation runs on the server too)."""
    row = fetch_one(
        conn,
        Day,
        "SELECT * FROM user_daily_add(%s, %s, %s::numeric, %s::int)",
        (user_id, at, distance, duration),
    )
    assert row is not None
    return row


def shift(
    conn: Connection[Any],
    user_id: UUID,
    at: datetime,
    d_distance: Decimal,
    d_duration: int,
    d_count: int,
) -> Day | None:
    """Move the totals of the local day of `at` by the deltas; a day left with no activity is
    removed. None when the day has no row (only after drift, which reconciliation repairs)."""
    row = fetch_one(
        conn,
        Day,
        f"""UPDATE user_daily_totals d SET distance = d.distance + %(d)s,
                   duration = d.duration + %(t)s, activities = d.activities + %(n)s
            FROM users u
            WHERE u.id = %(user)s AND d.user_id = u.id AND d.day = {_LOCAL_DAY}
            RETURNING d.day, d.activities""",
        {"user": user_id, "at": at, "d": d_distance, "t": d_duration, "n": d_count},
    )
    if row is not None and row.activities <= 0:
        conn.execute(
            "DELETE FROM user_daily_totals WHERE user_id = %s AND day = %s", (user_id, row.day)
        )
    return row


# The user's days recomputed from the activity rows, in their current timezone.
_RECOMPUTED = """
    SELECT (a.activity_at AT TIME ZONE u.timezone)::date AS day, sum(a.distance) AS distance,
           sum(a.duration) AS duration, count(*)::int AS activities
    FROM activities a JOIN users u ON u.id = a.user_id
    WHERE a.user_id = %(user)s
    GROUP BY 1
"""


def rebuild(conn: Connection[Any], user_id: UUID) -> None:
    """Replace the user's rows by a recomputation (timezone change, reconciliation repair)."""
    conn.execute("DELETE FROM user_daily_totals WHERE user_id = %(user)s", {"user": user_id})
    conn.execute(
        f"""INSERT INTO user_daily_totals (user_id, day, distance, duration, activities)
            SELECT %(user)s, r.* FROM ({_RECOMPUTED}) r""",
        {"user": user_id},
    )


def drifted(conn: Connection[Any], user_id: UUID) -> bool:
    """True when the stored rows differ from the recomputation, in either direction."""
    return bool(
        fetch_value(
            conn,
            f"""WITH stored AS (SELECT day, distance, duration, activities FROM user_daily_totals
                            WHERE user_id = %(user)s),
                 fresh AS ({_RECOMPUTED})
            SELECT EXISTS (SELECT * FROM stored EXCEPT SELECT * FROM fresh)
                OR EXISTS (SELECT * FROM fresh EXCEPT SELECT * FROM stored)""",
            {"user": user_id},
        )
    )


@dataclass(frozen=True)
class Periods:
    week_distance: Decimal
    week_activities: int
    month_distance: Decimal
    month_activities: int
    best_day: date | None
    best_distance: Decimal | None


def periods(conn: Connection[Any], user_id: UUID, week: date, month: date, today: date) -> Periods:
    """This week's and this month's totals (from their first day through today) and the best
    day: index ranges over at most a month of rows, and one index probe."""
    row = fetch_one(
        conn,
        Periods,
        """SELECT w.*, b.day AS best_day, b.distance AS best_distance
           FROM (SELECT coalesce(sum(distance) FILTER (WHERE day >= %(week)s), 0)
                            AS week_distance,
                        coalesce(sum(activities) FILTER (WHERE day >= %(week)s), 0)::int
                            AS week_activities,
                        coalesce(sum(distance) FILTER (WHERE day >= %(month)s), 0)
                            AS month_distance,
                        coalesce(sum(activities) FILTER (WHERE day >= %(month)s), 0)::int
                            AS month_activities
                 FROM user_daily_totals
                 WHERE user_id = %(user)s AND day >= least(%(week)s::date, %(month)s::date)
                   AND day <= %(today)s) w
           LEFT JOIN LATERAL (SELECT day, distance FROM user_daily_totals
                              WHERE user_id = %(user)s
                              ORDER BY distance DESC, day DESC LIMIT 1) b ON true""",
        {"user": user_id, "week": week, "month": month, "today": today},
    )
    return row or Periods(Decimal(0), 0, Decimal(0), 0, None, None)
