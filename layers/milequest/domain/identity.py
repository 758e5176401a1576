"""Map a verified identity (Cognito `sub`) to a users row, creating it on first sight so a lost
registration request or a sign-up outside the API can never leave a user without a row."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import users as users_db
from milequest.domain.errors import Unauthorized


def find_user(conn: Connection[Any], sub: str) -> UUID | None:
    """The live user of a Cognito `sub`, if there is one yet: a read, which the API runs as its
    request's first statement (it doubles as the check that a kept connection is alive)."""
    return users_db.live_id_by_cognito_id(conn, sub)


def resolve_user(
    conn: Connection[Any], sub: str, email: str | None, name: str | None, email_verified: bool
) -> UUID:
    """The user's id, their row created on first sight."""
    return known_or_created(conn, find_user(conn, sub), sub, email, name, email_verified)


def known_or_created(
    conn: Connection[Any],
    found: UUID | None,
    sub: str,
    email: str | None,
    name: str | None,
    email_verified: bool,
) -> UUID:
    """`found`, what `find_user` answered for `sub`; when it found no one, the user's row
    created from the identity's claims. The API asks `find_user` as its request's first
    statement and passes the answer here, so the lookup is never run twice."""
    if found is not None:
        return found
    if not email:
        # Access tokens carry no email; the row is normally created at registration or on the
        # first ID-token request, so an unknown sub here is a deleted or foreign account.
        raise Unauthorized("Unknown user")
    display = (name or email.split("@")[0])[:100]
    # Imported here: an account is made once, and every route's entry resolves its caller.
    from milequest.db import user_stats

    with conn.transaction():
        user_id = users_db.insert_from_identity(conn, sub, email, display, email_verified)
        if user_id is not None:
            user_stats.insert_for(conn, user_id)
    if user_id is None:
        # Lost a race with a concurrent first request for the same sub, or the email belongs
        # to another live account.
        user_id = find_user(conn, sub)
    if user_id is None:
        raise Unauthorized("This account cannot be used")
    return user_id
