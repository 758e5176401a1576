"""team_invites rows: codes, addressees, status transitions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_all, fetch_one


@dataclass(frozen=True, slots=True)
class InviteRow:
    id: UUID
    team_id: UUID
    code: str
    email: str | None
    user_id: UUID | None
    status: str
    expires_at: datetime
    created_at: datetime
    invited_by: UUID | None
    expired: bool  # expires_at has passed (status may still read PENDING)


_COLUMNS = """i.id, i.team_id, i.code, i.email::text AS email, i.user_id, i.status,
              i.expires_at, i.created_at, i.invited_by, (i.expires_at <= now()) AS expired"""


def insert_invite(
    conn: Connection[Any],
    *,
    team_id: UUID,
    code: str,
    invited_by: UUID,
    email: str | None,
    user_id: UUID | None,
    expires_in_days: int,
) -> InviteRow:
    row = fetch_one(
        conn,
        InviteRow,
        f"""WITH i AS (
                INSERT INTO team_invites (team_id, code, invited_by, email, user_id, expires_at)
                VALUES (%s, %s, %s, %s, %s, now() + make_interval(days => %s))
                RETURNING *)
            SELECT {_COLUMNS} FROM i""",
        (team_id, code, invited_by, email, user_id, expires_in_days),
    )
    assert row is not None
    return row


def by_code(conn: Connection[Any], code: str, *, lock: bool = False) -> InviteRow | None:
    sql = f"SELECT {_COLUMNS} FROM team_invites i WHERE i.code = %s"
    if lock:
        sql += " FOR UPDATE"
    return fetch_one(conn, InviteRow, sql, (code,))


def by_id(
    conn: Connection[Any], team_id: UUID, invite_id: UUID, *, lock: bool = False
) -> InviteRow | None:
    sql = f"SELECT {_COLUMNS} FROM team_invites i WHERE i.id = %s AND i.team_id = %s"
    if lock:
        sql += " FOR UPDATE"
    return fetch_one(conn, InviteRow, sql, (invite_id, team_id))


def pending_for_team(conn: Connection[Any], team_id: UUID, limit: int = 200) -> list[InviteRow]:
    return fetch_all(
        conn,
        InviteRow,
        f"""SELECT {_COLUMNS} FROM team_invites i
            WHERE i.team_id = %s AND i.status = 'PENDING' AND i.expires_at > now()
            ORDER BY i.created_at DESC, i.id DESC
            LIMIT %s""",
        (team_id, limit),
    )


def set_status(conn: Connection[Any], invite_id: UUID, status: str) -> None:
    conn.execute("UPDATE team_invites SET status = %s WHERE id = %s", (status, invite_id))


def accept_addressed(
    conn: Connection[Any], team_id: UUID, user_id: UUID, invite_id: UUID | None = None
) -> None:
    """Mark the invite used to join, and any pending invite addressed to the joiner, ACCEPTED."""
    conn.execute(
        """UPDATE team_invites i
           SET status = 'ACCEPTED', accepted_by = %(user)s, accepted_at = now()
           WHERE i.team_id = %(team)s AND i.status = 'PENDING'
             AND (i.id = %(invite)s
                  OR i.user_id = %(user)s
                  OR i.email = (SELECT email FROM users WHERE id = %(user)s))""",
        {"team": team_id, "user": user_id, "invite": invite_id},
    )


@dataclass(frozen=True, slots=True)
class MyInviteRow:
    id: UUID
    code: str
    team: dict[str, Any]  # id, name, avatar_url
    invited_by: dict[str, Any] | None  # id, name, avatar_url; None once the inviter is gone
    expires_at: datetime
    created_at: datetime


def pending_for_user(conn: Connection[Any], user_id: UUID) -> list[MyInviteRow]:
    """Pending, unexpired invites addressed to the user (by id or by email) to live teams the
    user is not already a member of; newest first (at most 200). The statement is the server
    function `user_pending_invites` (migrations/0850): planning it was nearly all of its cost
    (docs/architecture.md#kept-plans)."""
    return fetch_all(conn, MyInviteRow, "SELECT * FROM user_pending_invites(%s)", (user_id,))


def user_exists(conn: Connection[Any], user_id: UUID) -> bool:
    row = conn.execute(
        "SELECT 1 FROM users WHERE id = %s AND deleted_at IS NULL", (user_id,)
    ).fetchone()
    return row is not None


def user_id_by_email(conn: Connection[Any], email: str) -> UUID | None:
    row = conn.execute(
        "SELECT id FROM users WHERE email = %s AND deleted_at IS NULL", (email,)
    ).fetchone()
    return None if row is None else row[0]


def user_email(conn: Connection[Any], user_id: UUID) -> str | None:
    row = conn.execute("SELECT email::text FROM users WHERE id = %s", (user_id,)).fetchone()
    return None if row is None else row[0]


def revoke_pending_for(conn: Connection[Any], user_id: UUID, email: str) -> None:
    conn.execute(
        """UPDATE team_invites SET status = 'REVOKED'
            WHERE status = 'PENDING' AND (user_id = %s OR email = %s)""",
        (user_id, email),
    )
