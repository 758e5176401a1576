"""users rows: lookup by identity, accounts, profile, public profile, deletion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection, sql

from milequest.db.rows import fetch_one, fetch_value


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: UUID
    cognito_id: str
    email: str


def live_id_by_cognito_id(conn: Connection[Any], cognito_id: str) -> UUID | None:
    """Through `user_id_by_sub` (migrations/0780), whose plan PL/pgSQL keeps for the session:
    every signed-in request starts with this lookup, and as a plain statement it was planned
    each time (no prepared statements behind RDS Proxy)."""
    return fetch_value(conn, "SELECT user_id_by_sub(%s)", (cognito_id,))


def insert_from_identity(
    conn: Connection[Any], cognito_id: str, email: str, name: str, email_verified: bool
) -> UUID | None:
    """Create the user and its stats row; None when a live user already holds the identity
    or the email (a concurrent first request, or an email taken by another account), or when
    the identity belongs to a deleted account (its tokens stay valid until they expire, and
    must not bring the account back). The caller creates the stats row in the same
    transaction."""
    return fetch_value(
        conn,
        """INSERT INTO users (cognito_id, email, name, email_verified)
           SELECT %(sub)s, %(email)s, %(name)s, %(verified)s
            WHERE NOT EXISTS (SELECT 1 FROM users
                               WHERE cognito_id = %(sub)s AND deleted_at IS NOT NULL)
           ON CONFLICT DO NOTHING RETURNING id""",
        {"sub": cognito_id, "email": email, "name": name, "verified": email_verified},
    )


# --- accounts (registration, sign-in) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserRow:
    id: UUID
    email: str
    name: str
    avatar_url: str | None
    email_verified: bool
    timezone: str
    preferred_units: str
    locale: str
    created_at: datetime


_USER_COLUMNS = """id, email::text AS email, name, avatar_url, email_verified, timezone,
                   preferred_units, locale, created_at"""


def insert_user(
    conn: Connection[Any],
    cognito_id: str,
    email: str,
    email_verified: bool,
    *,
    name: str,
    timezone: str,
    preferred_units: str,
) -> UUID | None:
    """A new user for a fresh registration; None when a live user already holds the identity
    or the email. The caller creates the stats row in the same transaction."""
    return fetch_value(
        conn,
        """INSERT INTO users (cognito_id, email, name, email_verified, timezone,
                              preferred_units)
           VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id""",
        (cognito_id, email, name, email_verified, timezone, preferred_units),
    )


def relink_by_email(
    conn: Connection[Any],
    email: str,
    cognito_id: str,
    *,
    email_verified: bool,
    profile: dict[str, Any] | None = None,
) -> UUID | None:
    """Move the live row holding `email` (under another identity) to `cognito_id`; with
    `profile`, its name/timezone/units are reset to the registration's values."""
    profile = profile or {}
    return fetch_value(
        conn,
        """UPDATE users
              SET cognito_id = %(sub)s,
                  email_verified = %(verified)s,
                  name = COALESCE(%(name)s, name),
                  timezone = COALESCE(%(timezone)s, timezone),
                  preferred_units = COALESCE(%(units)s, preferred_units)
            WHERE email = %(email)s AND deleted_at IS NULL AND cognito_id <> %(sub)s
        RETURNING id""",
        {
            "sub": cognito_id,
            "verified": email_verified,
            "email": email,
            "name": profile.get("name"),
            "timezone": profile.get("timezone"),
            "units": profile.get("preferred_units"),
        },
    )


def mark_email_verified(conn: Connection[Any], email: str) -> None:
    conn.execute(
        """UPDATE users SET email_verified = true
            WHERE email = %s AND deleted_at IS NULL AND NOT email_verified""",
        (email,),
    )


def mark_verified(conn: Connection[Any], user_id: UUID) -> None:
    conn.execute(
        "UPDATE users SET email_verified = true WHERE id = %s AND NOT email_verified", (user_id,)
    )


def is_deleted_identity(conn: Connection[Any], cognito_id: str) -> bool:
    """True when the identity belongs to a deleted account and to no live one."""
    return bool(
        fetch_value(
            conn,
            """SELECT EXISTS (SELECT 1 FROM users WHERE cognito_id = %(sub)s
                                                  AND deleted_at IS NOT NULL)
                  AND NOT EXISTS (SELECT 1 FROM users WHERE cognito_id = %(sub)s
                                                      AND deleted_at IS NULL)""",
            {"sub": cognito_id},
        )
    )


def live_user(conn: Connection[Any], user_id: UUID) -> UserRow | None:
    return fetch_one(
        conn,
        UserRow,
        f"SELECT {_USER_COLUMNS} FROM users WHERE id = %s AND deleted_at IS NULL",
        (user_id,),
    )


# --- the signed-in user's profile ---------------------------------------------------------------


_UPDATABLE = {
    "name": "name",
    "avatar_url": "avatar_url",
    "timezone": "timezone",
    "preferred_units": "preferred_units",
    "locale": "locale",
}


def update_profile(conn: Connection[Any], user_id: UUID, changes: dict[str, Any]) -> UserRow | None:
    if not changes:
        return live_user(conn, user_id)
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(_UPDATABLE[field]), sql.Placeholder(field))
        for field in changes
    )
    query = sql.SQL(
        "UPDATE users SET {} WHERE id = %(id)s AND deleted_at IS NULL RETURNING "
    ).format(assignments) + sql.SQL(_USER_COLUMNS)
    return fetch_one(conn, UserRow, query.as_string(conn), {**changes, "id": user_id})


@dataclass(frozen=True, slots=True)
class PublicProfileRow:
    id: UUID
    name: str
    avatar_url: str | None
    stats: dict[str, Any]  # total_distance, total_activities (the wire's nested object)


def public_profile(
    conn: Connection[Any], viewer_id: UUID, user_id: UUID
) -> PublicProfileRow | None:
    """Name, avatar and public-activity totals of a live user who is the viewer or shares a
    live team with the viewer; None otherwise. The statement is the server function
    `user_public_profile` (migrations/0850): planning it was nearly all of its cost
    (docs/architecture.md#kept-plans)."""
    return fetch_one(
        conn,
        PublicProfileRow,
        "SELECT * FROM user_public_profile(%s, %s)",
        (viewer_id, user_id),
    )


# --- account deletion ---------------------------------------------------------------------------


def lock_live(conn: Connection[Any], user_id: UUID) -> AccountRow | None:
    """The live account, locked: account deletion then runs on a row no profile edit or
    concurrent deletion can change."""
    return fetch_one(
        conn,
        AccountRow,
        """SELECT id, cognito_id, email::text AS email FROM users
            WHERE id = %s AND deleted_at IS NULL FOR UPDATE""",
        (user_id,),
    )


def scrub(conn: Connection[Any], user_id: UUID) -> None:
    """Soft delete and remove personal data; the email becomes a non-identifying placeholder
    so the address can register again. (The user's notification preferences go with
    milequest.db.notifications.delete_preferences.)"""
    conn.execute(
        """UPDATE users
              SET deleted_at = now(), name = 'Deleted user', avatar_url = NULL,
                  email = 'deleted+' || id::text || '@deleted.invalid', email_verified = false
            WHERE id = %s""",
        (user_id,),
    )
