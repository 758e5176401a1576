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


# The body of a create is a replay of one of the user's activities created in the last 24 h
# when everything matches: the same millisecond, distance to the centimetre, duration, notes,
# privacy and source (a client retrying without an Idempotency-Key). The millisecond is a range,
# so the index on (user_id, activity_at) finds it.
_SAME_BODY = """
    user_id = %(user)s
    AND activity_at >= date_trunc('milliseconds', %(at)s::timestamptz)
    AND activity_at < date_trunc('milliseconds', %(at)s::timestamptz) + interval '1 millisecond'
    AND created_at > now() - interval '24 hours'
    AND round(distance, 2) = round(%(distance)s::numeric, 2)
    AND duration = %(duration)s
    AND notes IS NOT DISTINCT FROM %(notes)s
    AND is_private = %(private)s AND source = %(source)s
"""
# Activities the user logged in the last hour, counted up to the limit only (the index on
# (user_id, created_at) reads at most that many entries).
_UNDER_LIMIT = """
    (SELECT count(*) FROM (SELECT 1 FROM activities
                           WHERE user_id = %(user)s AND created_at > now() - interval '1 hour'
                           LIMIT %(limit)s) recent) < %(limit)s
"""


@dataclass(frozen=True)
class NewActivity:
    user_id: UUID
    distance: float
    duration: int
    at: datetime
    notes: str | None
    is_private: bool
    source: str
    external_id: str | None

    def params(self) -> dict[str, Any]:
        return {
            "user": self.user_id,
            "distance": self.distance,
            "duration": self.duration,
            "at": self.at,
            "notes": self.notes,
            "private": self.is_private,
            "source": self.source,
            "external": self.external_id,
        }


def insert_unless_replay(conn: Connection[Any], new: NewActivity, limit: int) -> ActivityRow | None:
    """Insert the activity in one statement, unless it is a replay (an import with the same
    (user, source, external_id), or the same body just logged) or the user already logged
    `limit` in the last hour: then None, and the caller finds out which (`replay_of`).
    The caller holds the user's stats row lock, so the guards read a stable state."""
    return fetch_one(
        conn,
        ActivityRow,
        f"""INSERT INTO activities (user_id, distance, duration, activity_at, notes, is_private,
                                    source, external_id)
            SELECT %(user)s, round(%(distance)s::numeric, 3), %(duration)s, %(at)s, %(notes)s,
                   %(private)s, %(source)s, %(external)s
            WHERE {_UNDER_LIMIT}
              AND (%(external)s::text IS NOT NULL
                   OR NOT EXISTS (SELECT 1 FROM activities WHERE {_SAME_BODY}))
            ON CONFLICT (user_id, source, external_id) DO NOTHING
            RETURNING {_COLUMNS}""",
        {**new.params(), "limit": limit},
    )


def replay_of(conn: Connection[Any], new: NewActivity) -> ActivityRow | None:
    """The activity `new` replays, if any: the import with its external id, or the oldest of
    the user's recent activities with the very same body."""
    if new.external_id is not None:
        where = "user_id = %(user)s AND source = %(source)s AND external_id = %(external)s"
    else:
        where = _SAME_BODY
    return fetch_one(
        conn,
        ActivityRow,
        f"SELECT {_COLUMNS} FROM activities WHERE {where} ORDER BY created_at LIMIT 1",
        new.params(),
    )


def limit_frees_at(conn: Connection[Any], user_id: UUID, limit: int) -> datetime | None:
    """When the user may log again: the creation of their `limit`-th newest activity of the
    last hour plus an hour (None when they are under the limit)."""
    return fetch_value(
        conn,
        """SELECT created_at + interval '1 hour' FROM activities
           WHERE user_id = %s AND created_at > now() - interval '1 hour'
           ORDER BY created_at DESC OFFSET %s LIMIT 1""",
        (user_id, limit - 1),
    )


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
