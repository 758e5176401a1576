"""users rows: lookup by identity."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_value


def live_id_by_cognito_id(conn: Connection[Any], cognito_id: str) -> UUID | None:
    return fetch_value(
        conn, "SELECT id FROM users WHERE cognito_id = %s AND deleted_at IS NULL", (cognito_id,)
    )


def insert_from_identity(
    conn: Connection[Any], cognito_id: str, email: str, name: str, email_verified: bool
) -> UUID | None:
    """Create the user and its stats row; None when a live user already holds the identity
    or the email (a concurrent first request, or an email taken by another account)."""
    with conn.transaction():
        user_id = fetch_value(
            conn,
            """INSERT INTO users (cognito_id, email, name, email_verified)
               VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id""",
            (cognito_id, email, name, email_verified),
        )
        if user_id is not None:
            conn.execute("INSERT INTO user_stats (user_id) VALUES (%s)", (user_id,))
        return user_id
