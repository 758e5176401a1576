"""activities rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_all, fetch_one, fetch_value

_COLUMNS = """id, user_id, distance, duration, pace, activity_at, notes, is_private, source,
              external_id, created_at, updated_at"""


@dataclass(frozen=True)
class ActivityRow:
    id: UUID
    user_id: UUID
    distance: Decimal
    duration: int
    pace: Decimal
    activity_at: datetime
    notes: str | None
    is_private: bool
    source: str
    external_id: str | None
    created_at: datetime
    updated_at: datetime


def get(conn: Connection[Any], activity_id: UUID, *, lock: bool = False) -> ActivityRow | None:
    sql = f"SELECT {_COLUMNS} FROM activities WHERE id = %s"
    return fetch_one(conn, ActivityRow, sql + (" FOR UPDATE" if lock else ""), (activity_id,))


def update(conn: Connection[Any], activity_id: UUID, changes: dict[str, Any]) -> ActivityRow:
    allowed = {"distance", "duration", "activity_at", "notes", "is_private", "external_id"}
    assert changes and set(changes) <= allowed
    # Column names come from the fixed set above, never from input.
    sets = ", ".join(
        f"{col} = round(%({col})s::numeric, 3)" if col == "distance" else f"{col} = %({col})s"
        for col in sorted(changes)
    )
    row = fetch_one(
        conn,
        ActivityRow,
        f"UPDATE activities SET {sets} WHERE id = %(id)s RETURNING {_COLUMNS}",
        {**changes, "id": activity_id},
    )
    assert row is not None
    return row


def delete(conn: Connection[Any], activity_id: UUID, user_id: UUID) -> ActivityRow | None:
    """Delete the user's activity (None when it is not theirs or not there) and return it."""
    return fetch_one(
        conn,
        ActivityRow,
        f"DELETE FROM activities WHERE id = %s AND user_id = %s RETURNING {_COLUMNS}",
        (activity_id, user_id),
    )


def latest_at(conn: Connection[Any], user_id: UUID) -> datetime | None:
    """The user's latest activity time: one probe of the (user_id, activity_at) index."""
    return fetch_value(
        conn, "SELECT max(activity_at) FROM activities WHERE user_id = %s", (user_id,)
    )


def list_own(
    conn: Connection[Any],
    user_id: UUID,
    limit: int,
    after: tuple[datetime, UUID] | None,
    start: datetime | None,
    end: datetime | None,
    team_id: UUID | None,
) -> list[ActivityRow]:
    """Newest first, keyset-paged on (activity_at, id); `limit` rows at most."""
    where = ["a.user_id = %(user)s"]
    if after is not None:
        where.append("(a.activity_at, a.id) < (%(at)s, %(id)s)")
    if start is not None:
        where.append("a.activity_at >= %(start)s")
    if end is not None:
        where.append("a.activity_at < %(end)s")
    if team_id is not None:
        # Counted for that team: logged while the user was a member of it.
        where.append(
            """EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = %(team)s
                         AND m.user_id = a.user_id AND m.joined_at <= a.activity_at
                         AND (m.left_at IS NULL OR m.left_at > a.activity_at))"""
        )
    cols = ", ".join(f"a.{c.strip()}" for c in _COLUMNS.split(","))
    return fetch_all(
        conn,
        ActivityRow,
        f"""SELECT {cols} FROM activities a WHERE {" AND ".join(where)}
            ORDER BY a.activity_at DESC, a.id DESC LIMIT %(limit)s""",
        {
            "user": user_id,
            "at": after[0] if after else None,
            "id": after[1] if after else None,
            "start": start,
            "end": end,
            "team": team_id,
            "limit": limit,
        },
    )


def shares_live_team(conn: Connection[Any], a: UUID, b: UUID) -> bool:
    row = conn.execute(
        """SELECT EXISTS (
               SELECT 1 FROM team_members x
               JOIN team_members y ON y.team_id = x.team_id AND y.user_id = %s
                                  AND y.left_at IS NULL
               JOIN teams t ON t.id = x.team_id AND t.deleted_at IS NULL
               WHERE x.user_id = %s AND x.left_at IS NULL)""",
        (b, a),
    ).fetchone()
    return bool(row and row[0])


@dataclass(frozen=True)
class DayTotals:
    day: date
    distance: Decimal
    duration: int
    activities: int


def daily_totals(
    conn: Connection[Any], user_id: UUID, tz: str, start: datetime, end: datetime
) -> list[DayTotals]:
    """Per local day (in `tz`) totals of the user's activities in [start, end)."""
    return fetch_all(
        conn,
        DayTotals,
        """SELECT (activity_at AT TIME ZONE %(tz)s)::date AS day, sum(distance) AS distance,
                  sum(duration)::int AS duration, count(*)::int AS activities
           FROM activities
           WHERE user_id = %(user)s AND activity_at >= %(start)s AND activity_at < %(end)s
           GROUP BY 1 ORDER BY 1""",
        {"user": user_id, "tz": tz, "start": start, "end": end},
    )
