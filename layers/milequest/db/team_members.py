"""team_members rows: membership history (joined_at/left_at), roles, member stats.

Callers hold the team row lock (FOR UPDATE) for every write here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_all, fetch_one, fetch_value


@dataclass(frozen=True, slots=True)
class MemberRow:
    id: UUID  # the membership
    team_id: UUID
    user_id: UUID
    role: str
    joined_at: datetime
    user: dict[str, Any]  # the wire's user object: id, name, avatar_url, email (below)


@dataclass(frozen=True, slots=True)
class MemberStatsRow(MemberRow):
    stats: dict[str, Any]  # total_distance, activity_count, last_activity_at


# The member's email is shown to that member only: it is null unless the member is the viewer.
_MEMBER_COLUMNS = """m.id, m.team_id, m.user_id, m.role, m.joined_at,
                     json_build_object('id', u.id, 'name', u.name, 'avatar_url', u.avatar_url,
                                       'email', CASE WHEN u.id = %(viewer)s THEN u.email END
                     ) AS "user"
"""


def insert_member(conn: Connection[Any], team_id: UUID, user_id: UUID, role: str) -> MemberRow:
    member_id = fetch_value(
        conn,
        """INSERT INTO team_members (team_id, user_id, role) VALUES (%s, %s, %s)
           RETURNING id""",
        (team_id, user_id, role),
    )
    row = live_member(conn, team_id, user_id)
    assert row is not None and row.id == member_id
    return row


def live_member(conn: Connection[Any], team_id: UUID, user_id: UUID) -> MemberRow | None:
    return fetch_one(
        conn,
        MemberRow,
        f"""SELECT {_MEMBER_COLUMNS} FROM team_members m JOIN users u ON u.id = m.user_id
            WHERE m.team_id = %(team)s AND m.user_id = %(viewer)s AND m.left_at IS NULL""",
        {"team": team_id, "viewer": user_id},
    )


@dataclass(frozen=True, slots=True)
class Counts:
    members: int
    admins: int


def live_counts(conn: Connection[Any], team_id: UUID, *, besides: UUID | None = None) -> Counts:
    """How many live members and live admins the team has, not counting `besides` (callers
    hold the team row lock, so the counts are stable)."""
    row = fetch_one(
        conn,
        Counts,
        """SELECT count(*) AS members, count(*) FILTER (WHERE role = 'ADMIN') AS admins
             FROM team_members
            WHERE team_id = %s AND left_at IS NULL AND user_id IS DISTINCT FROM %s""",
        (team_id, besides),
    )
    assert row is not None
    return row


def set_role(conn: Connection[Any], member_id: UUID, role: str) -> None:
    conn.execute("UPDATE team_members SET role = %s WHERE id = %s", (role, member_id))


def end_membership(conn: Connection[Any], member_id: UUID) -> None:
    conn.execute(
        "UPDATE team_members SET left_at = now() WHERE id = %s AND left_at IS NULL", (member_id,)
    )


def preview(
    conn: Connection[Any], team_id: UUID, limit: int, viewer: UUID | None
) -> list[MemberRow]:
    """The first `limit` live members: admins first, then by join time."""
    return fetch_all(
        conn,
        MemberRow,
        f"""SELECT {_MEMBER_COLUMNS} FROM team_members m JOIN users u ON u.id = m.user_id
            WHERE m.team_id = %(team)s AND m.left_at IS NULL
            ORDER BY (m.role = 'ADMIN') DESC, m.joined_at, m.id
            LIMIT %(limit)s""",
        {"team": team_id, "limit": limit, "viewer": viewer},
    )


def members_with_stats(
    conn: Connection[Any],
    team_id: UUID,
    *,
    limit: int,
    after: tuple[datetime, UUID] | None = None,
) -> list[MemberStatsRow]:
    """Live members in join order, each with their activity totals since they joined."""
    return fetch_all(
        conn,
        MemberStatsRow,
        f"""SELECT {_MEMBER_COLUMNS},
                   json_build_object('total_distance', coalesce(s.total_distance, 0),
                                     'activity_count', coalesce(s.activity_count, 0),
                                     'last_activity_at', s.last_activity_at) AS stats
            FROM team_members m
            JOIN users u ON u.id = m.user_id
            LEFT JOIN LATERAL (
                SELECT sum(a.distance) AS total_distance, count(*)::int AS activity_count,
                       -- a private activity's time is shown to nobody but its owner
                       max(a.activity_at) FILTER (WHERE NOT a.is_private) AS last_activity_at
                FROM activities a
                WHERE a.user_id = m.user_id AND a.activity_at >= m.joined_at
            ) s ON true
            WHERE m.team_id = %(team)s AND m.left_at IS NULL
              -- the first page, or the rows after the cursor's (joined_at, id)
              AND (%(at)s::timestamptz IS NULL OR (m.joined_at, m.id) > (%(at)s, %(id)s))
            ORDER BY m.joined_at, m.id
            LIMIT %(limit)s""",
        {
            "team": team_id,
            "limit": limit,
            "viewer": None,
            "at": after[0] if after else None,
            "id": after[1] if after else None,
        },
    )


@dataclass(frozen=True, slots=True)
class MembershipRow:
    team_id: UUID
    role: str


def live_memberships_of(conn: Connection[Any], user_id: UUID) -> list[MembershipRow]:
    """The user's live memberships of live teams, in team id order (the lock order)."""
    return fetch_all(
        conn,
        MembershipRow,
        """SELECT m.team_id, m.role FROM team_members m
             JOIN teams t ON t.id = m.team_id AND t.deleted_at IS NULL
            WHERE m.user_id = %s AND m.left_at IS NULL
            ORDER BY m.team_id""",
        (user_id,),
    )


def end_memberships_of(conn: Connection[Any], user_id: UUID) -> int:
    cur = conn.execute(
        "UPDATE team_members SET left_at = now() WHERE user_id = %s AND left_at IS NULL",
        (user_id,),
    )
    return cur.rowcount
