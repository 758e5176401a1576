"""Sign-up, sign-in and the users row behind each Cognito identity (docs/api.md#auth).

Cognito owns credentials; the users table owns everything else. The row is created in the
registration request, and found-or-created again at every login (and, by milequest.domain.
identity, at every authenticated request), so a lost registration response never leaves an
account without a row.

Re-linking: Cognito keeps emails unique, so when `SignUp` (or a login) succeeds for an email that
a live users row still holds under another `sub`, that old identity no longer exists in the pool
(the local emulator restarted, or the Cognito user was deleted out of band). The row — with its
teams and activities — is then re-linked to the new `sub` instead of refusing the registration.
"""

from __future__ import annotations

from typing import Any, Protocol

from psycopg import Connection

from milequest.cognito import SignUp, Tokens, unverified_claims
from milequest.cognito_errors import BAD_CREDENTIALS
from milequest.db import user_stats
from milequest.db import users as users_db
from milequest.domain.errors import (
    Conflict,
    NotFound,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)
from milequest.domain.identity import resolve_user
from milequest.models.auth import (
    LoggedIn,
    LoggedOut,
    PasswordReset,
    Refreshed,
    Registered,
    Sent,
    TokenSet,
    Verified,
)
from milequest.models.users import User
from milequest.observability import logger


class UserPool(Protocol):
    """What the domain needs from Cognito (milequest.cognito.Cognito; fakes in tests)."""

    def sign_up(self, email: str, password: str, name: str) -> SignUp: ...
    def confirm_sign_up(self, email: str, code: str) -> None: ...
    def resend_code(self, email: str) -> None: ...
    def login(self, email: str, password: str) -> Tokens: ...
    def refresh(self, refresh_token: str) -> Tokens: ...
    def sign_out(
        self,
        username: str | None = None,
        *,
        access_token: str | None = None,
        refresh_token: str | None = None,
    ) -> None: ...
    def forgot_password(self, email: str) -> None: ...
    def confirm_forgot_password(self, email: str, code: str, new_password: str) -> None: ...
    def delete_user(self, username: str) -> None: ...


def register(
    conn: Connection[Any],
    pool: UserPool,
    *,
    email: str,
    password: str,
    name: str,
    timezone: str,
    preferred_units: str,
) -> Registered:
    # Cognito first: it decides whether the email is taken (409) and whether the password
    # passes the policy (400). If the database write below then fails, the Cognito user exists
    # without a row; the row is created at that user's first login.
    signed = pool.sign_up(email, password, name)
    profile = {"name": name, "timezone": timezone, "preferred_units": preferred_units}
    with conn.transaction():
        user_id = users_db.relink_by_email(
            conn, email, signed.sub, email_verified=signed.confirmed, profile=profile
        )
        if user_id is not None:
            logger.info("account re-linked to a new identity", extra={"user_id": str(user_id)})
        else:
            user_id = users_db.insert_user(conn, signed.sub, email, signed.confirmed, **profile)
            if user_id is not None:
                user_stats.insert_for(conn, user_id)
        if user_id is None:
            # A live row already holds this identity (a retried registration).
            user_id = users_db.live_id_by_cognito_id(conn, signed.sub)
        if user_id is None:
            raise Conflict("An account with this email already exists")
    return Registered(user=_user(conn, user_id), requires_verification=not signed.confirmed)


def verify_email(conn: Connection[Any], pool: UserPool, email: str, code: str) -> Verified:
    pool.confirm_sign_up(email, code)
    users_db.mark_email_verified(conn, email)
    return Verified()


def resend_code(pool: UserPool, email: str) -> Sent:
    try:
        pool.resend_code(email)
    except NotFound:
        pass  # same answer for an unknown email
    return Sent()


def login(conn: Connection[Any], pool: UserPool, email: str, password: str) -> LoggedIn:
    tokens = pool.login(email, password)
    # The ID token came straight from Cognito over TLS as the answer to our own InitiateAuth
    # call, so its payload is read without verifying the signature (see unverified_claims).
    claims = unverified_claims(tokens.id_token)
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise Unavailable("Sign-in service returned a token without a subject")
    user_id = ensure_account(conn, pool, sub, str(claims.get("email") or email), claims.get("name"))
    return LoggedIn(user=_user(conn, user_id), tokens=_token_set(tokens))


def ensure_account(
    conn: Connection[Any], pool: UserPool, sub: str, email: str, name: str | None
) -> Any:
    """The live row of a Cognito identity that just signed in (so its email is verified):
    found by sub, else re-linked by email, else created. An identity whose account was deleted
    is refused (and removed from the pool again, in case the deletion's Cognito call failed)."""
    if users_db.is_deleted_identity(conn, sub):
        pool.delete_user(sub)
        raise Unauthorized(BAD_CREDENTIALS)
    with conn.transaction():
        user_id = users_db.live_id_by_cognito_id(conn, sub)
        if user_id is None:
            user_id = users_db.relink_by_email(conn, email, sub, email_verified=True)
        if user_id is None:
            user_id = resolve_user(conn, sub, email, name, True)
        users_db.mark_verified(conn, user_id)
    return user_id


def refresh(pool: UserPool, refresh_token: str) -> Refreshed:
    return Refreshed(tokens=_token_set(pool.refresh(refresh_token)))


def logout(pool: UserPool, *, access_token: str | None, refresh_token: str | None) -> LoggedOut:
    """End what the caller holds; always a success: a token that is already signed out,
    expired or not ours leaves nothing to end (and says nothing about other accounts)."""
    if access_token is None and refresh_token is None:
        return LoggedOut()
    try:
        pool.sign_out(access_token=access_token, refresh_token=refresh_token)
    except (Unauthorized, NotFound, ValidationFailed):
        pass
    return LoggedOut()


def forgot_password(pool: UserPool, email: str) -> Sent:
    try:
        pool.forgot_password(email)
    except NotFound:
        pass  # the same answer whether or not the email has an account
    return Sent()


def reset_password(pool: UserPool, email: str, code: str, new_password: str) -> PasswordReset:
    pool.confirm_forgot_password(email, code, new_password)
    try:
        # A reset password ends every existing session (refresh tokens stop working).
        pool.sign_out(email)
    except (NotFound, Unauthorized):
        pass
    return PasswordReset()


def _user(conn: Connection[Any], user_id: Any) -> User:
    user = users_db.live_user(conn, user_id)
    if user is None:
        raise Unauthorized("This account cannot be used")
    return User.model_validate(user)


def _token_set(tokens: Tokens) -> TokenSet:
    return TokenSet.model_validate(tokens)
