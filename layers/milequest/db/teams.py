"""teams rows: create, read (detail, my teams, public directory), update, soft delete. The
team feed and stats are in milequest.db.team_feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.keyset import after as paged_after
from milequest.db.rows import fetch_all, fetch_one


@dataclass(frozen=True, slots=True)
class TeamRow:
    id: UUID
    name: str
    description: str | None
    avatar_url: str | None
    is_public: bool
    invite_code: str
    max_members: int
    member_count: int
    created_at: datetime
    updated_at: datetime


_MEMBER_COUNT = """(SELECT count(*) FROM team_members m
                    WHERE m.team_id = t.id AND m.left_at IS NULL)::int AS member_count"""

_COLUMNS = f"""t.id, t.name::text AS name, t.description, t.avatar_url, t.is_public,
               t.invite_code, t.max_members, {_MEMBER_COUNT}, t.created_at, t.updated_at"""

# The ACTIVE goal (at most one per team) and its progress, as flat columns.
ACTIVE_GOAL = """
    LEFT JOIN LATERAL (
        SELECT g.id AS goal_id, g.name AS goal_name, g.target_distance AS goal_target,
               coalesce(p.total_distance, 0) AS goal_total
        FROM team_goals g LEFT JOIN team_progress p ON p.goal_id = g.id
        WHERE g.team_id = t.id AND g.status = 'ACTIVE'
        LIMIT 1
    ) ag ON true
"""
# A route edge `e` within %(radius)s metres of (%(lat)s, %(lng)s): exactly when its whole route
# is (ST_DWithin on the geography), found through the edges' GiST index (migrations/0710).
NEAR_EDGE = """ST_DWithin(
    e.edge, ST_SetSRID(ST_MakePoint(%(lng)s::float8, %(lat)s::float8), 4326)::geography, %(radius)s
)"""

ACTIVE_GOAL_COLUMNS = "ag.goal_id, ag.goal_name, ag.goal_target, ag.goal_total"


@dataclass(frozen=True, slots=True)
class GoalColumns:
    """A team's active goal as the flat columns of ACTIVE_GOAL (all None without one)."""

    goal_id: UUID | None
    goal_name: str | None
    goal_target: Decimal | None
    goal_total: Decimal | None


@dataclass(frozen=True, slots=True)
class ListedTeamRow(GoalColumns):
    """A team as the lists show it: my teams, the public directory."""

    id: UUID
    name: str
    description: str | None
    avatar_url: str | None
    is_public: bool
    member_count: int


@dataclass(frozen=True, slots=True)
class MyTeamRow(ListedTeamRow):
    role: str
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class PublicTeamRow(ListedTeamRow):
    max_members: int
    created_at: datetime


def recent_creations(conn: Connection[Any], user_id: UUID, limit: int) -> list[datetime]:
    """created_at of the user's last `limit` teams created within the past day, newest first."""
    rows = conn.execute(
        """SELECT created_at FROM teams
           WHERE created_by = %s AND created_at > now() - interval '1 day'
           ORDER BY created_at DESC LIMIT %s""",
        (user_id, limit),
    ).fetchall()
    return [r[0] for r in rows]


def lock_team(conn: Connection[Any], team_id: UUID, *, live_only: bool = False) -> bool:
    """The team row lock (FOR UPDATE), the first lock of every membership change, team change
    and goal status change (milequest.db.contributions, locking protocol); activity writes hold
    the row FOR SHARE, so this waits for them. False when the row is missing (or deleted, with
    `live_only`). In its own statement: under READ COMMITTED the caller's next statement takes a
    new snapshot, so it sees every change committed while this one waited."""
    query = "SELECT 1 FROM teams WHERE id = %s" + (" AND deleted_at IS NULL" if live_only else "")
    return conn.execute(query + " FOR UPDATE", (team_id,)).fetchone() is not None


def lock_creator(conn: Connection[Any], user_id: UUID) -> None:
    """Serialize one user's team creations (the per-user daily limit is checked after this)."""
    conn.execute("SELECT 1 FROM users WHERE id = %s FOR UPDATE", (user_id,))


def insert_team(
    conn: Connection[Any],
    *,
    name: str,
    description: str | None,
    avatar_url: str | None,
    is_public: bool,
    invite_code: str,
    created_by: UUID,
    max_members: int | None = None,
) -> UUID:
    row = conn.execute(
        """INSERT INTO teams (name, description, avatar_url, is_public, invite_code, created_by,
                              max_members)
           VALUES (%s, %s, %s, %s, %s, %s, coalesce(%s, 100))
           RETURNING id""",
        (name, description, avatar_url, is_public, invite_code, created_by, max_members),
    ).fetchone()
    assert row is not None
    return row[0]


def get_team(conn: Connection[Any], team_id: UUID) -> TeamRow | None:
    return fetch_one(
        conn,
        TeamRow,
        f"SELECT {_COLUMNS} FROM teams t WHERE t.id = %s AND t.deleted_at IS NULL",
        (team_id,),
    )


def team_by_invite_code(conn: Connection[Any], code: str) -> UUID | None:
    row = conn.execute(
        "SELECT id FROM teams WHERE invite_code = %s AND deleted_at IS NULL", (code,)
    ).fetchone()
    return None if row is None else row[0]


def active_goal(conn: Connection[Any], team_id: UUID) -> GoalColumns | None:
    row = fetch_one(
        conn,
        GoalColumns,
        f"SELECT {ACTIVE_GOAL_COLUMNS} FROM teams t {ACTIVE_GOAL} WHERE t.id = %s",
        (team_id,),
    )
    return row if row is not None and row.goal_id is not None else None


def update_team(conn: Connection[Any], team_id: UUID, changes: dict[str, Any]) -> None:
    allowed = {"name", "description", "avatar_url", "is_public"}
    fields = [f for f in changes if f in allowed]
    if not fields:
        return
    assignments = ", ".join(f"{f} = %({f})s" for f in fields)
    conn.execute(
        f"UPDATE teams SET {assignments} WHERE id = %(id)s AND deleted_at IS NULL",
        {**{f: changes[f] for f in fields}, "id": team_id},
    )


def mark_deleted(conn: Connection[Any], team_id: UUID) -> None:
    """Only the team row (account deletion ends the memberships itself)."""
    conn.execute(
        "UPDATE teams SET deleted_at = now() WHERE id = %s AND deleted_at IS NULL", (team_id,)
    )


def soft_delete(conn: Connection[Any], team_id: UUID) -> None:
    """The team disappears; memberships end and pending invites are revoked (history kept)."""
    conn.execute(
        "UPDATE teams SET deleted_at = now() WHERE id = %s AND deleted_at IS NULL", (team_id,)
    )
    conn.execute(
        "UPDATE team_members SET left_at = now() WHERE team_id = %s AND left_at IS NULL",
        (team_id,),
    )
    conn.execute(
        "UPDATE team_invites SET status = 'REVOKED' WHERE team_id = %s AND status = 'PENDING'",
        (team_id,),
    )


def my_teams(
    conn: Connection[Any],
    user_id: UUID,
    *,
    limit: int | None,
    after: tuple[datetime, UUID] | None = None,
) -> list[MyTeamRow]:
    """Live teams the user is a live member of, most recently joined first."""
    keyset, params = paged_after(after, "m.joined_at, t.id")
    params.update(user=user_id, limit=limit)
    return fetch_all(
        conn,
        MyTeamRow,
        f"""SELECT t.id, t.name::text AS name, t.description, t.avatar_url, t.is_public,
                   {_MEMBER_COUNT}, m.role, m.joined_at, {ACTIVE_GOAL_COLUMNS}
            FROM team_members m
            JOIN teams t ON t.id = m.team_id AND t.deleted_at IS NULL
            {ACTIVE_GOAL}
            WHERE m.user_id = %(user)s AND m.left_at IS NULL {keyset}
            ORDER BY m.joined_at DESC, t.id DESC
            LIMIT %(limit)s""",
        params,
    )


def public_teams(
    conn: Connection[Any],
    *,
    q: str | None,
    near: tuple[float, float] | None,
    radius_m: float,
    limit: int,
    after: tuple[datetime, UUID] | None = None,
) -> list[PublicTeamRow]:
    """Live public teams, newest first; `q` matches the name, `near` the active goal's route
    (one of its edges within the radius: migrations/0710)."""
    params: dict[str, Any] = {"limit": limit}
    where = ["t.is_public", "t.deleted_at IS NULL"]
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["q"] = f"%{escaped}%"
        where.append("t.name::text ILIKE %(q)s")
    if near is not None:
        params.update(lat=near[0], lng=near[1], radius=radius_m)
        where.append(
            f"""t.id IN (SELECT g.team_id FROM team_goal_route_edges e
                          JOIN team_goals g ON g.id = e.goal_id AND g.status = 'ACTIVE'
                         WHERE {NEAR_EDGE})"""
        )
    keyset, position = paged_after(after, "t.created_at, t.id")
    params.update(position)
    return fetch_all(
        conn,
        PublicTeamRow,
        f"""SELECT t.id, t.name::text AS name, t.description, t.avatar_url, t.is_public,
                   t.max_members, t.created_at, {_MEMBER_COUNT}, {ACTIVE_GOAL_COLUMNS}
            FROM teams t {ACTIVE_GOAL}
            WHERE {" AND ".join(where)} {keyset}
            ORDER BY t.created_at DESC, t.id DESC
            LIMIT %(limit)s""",
        params,
    )
