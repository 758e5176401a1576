"""Sign-up, sign-in, sign-out and password routes over the Cognito user pool; none needs a
token (logout uses the one it is given, if any)."""

from __future__ import annotations

from typing import Any

from milequest.api.request import Request
from milequest.api.routing import Router
from milequest.cognito import get_cognito, unverified_claims
from milequest.domain import accounts
from milequest.domain.errors import Unavailable
from milequest.models.auth import (
    EmailOnly,
    LoggedIn,
    LoggedOut,
    Login,
    LogOut,
    PasswordReset,
    Refresh,
    Refreshed,
    Register,
    Registered,
    ResetPassword,
    Sent,
    Verified,
    VerifyEmail,
)

# The web client reads auth answers without unwrapping the envelope (docs/api.md#auth).
router = Router(auth=False, mirror=True)
# Routes that only talk to Cognito: no database connection, the small memory profile.
COGNITO_ONLY: dict[str, Any] = {"uses_db": False, "profile": "light"}


@router.post("/auth/register", "Create an account (Cognito user + users row)", status=201)
def register_account(req: Request, body: Register) -> Registered:
    return accounts.register(
        req.conn,
        get_cognito(),
        email=body.email,
        password=body.password,
        name=body.name,
        timezone=body.timezone,
        preferred_units=body.preferred_units,
    )


@router.post("/auth/verify-email", "Confirm the email address with the emailed code")
def verify_email(req: Request, body: VerifyEmail) -> Verified:
    return accounts.verify_email(req.conn, get_cognito(), body.email, body.code)


@router.post("/auth/resend-code", "Send the verification code again", **COGNITO_ONLY)
def resend_code(body: EmailOnly) -> Sent:
    return accounts.resend_code(get_cognito(), body.email)


@router.post("/auth/login", "Sign in with email and password")
def log_in(req: Request, body: Login) -> LoggedIn:
    return accounts.login(req.conn, get_cognito(), body.email, body.password)


@router.post("/auth/refresh", "New access and ID tokens from a refresh token", **COGNITO_ONLY)
def refresh_tokens(body: Refresh) -> Refreshed:
    return accounts.refresh(get_cognito(), body.refresh_token)


@router.post(
    "/auth/logout",
    "Sign out: whatever is given (bearer access token, refresh token) stops working; always 200",
    **COGNITO_ONLY,
)
def log_out(req: Request, body: LogOut) -> LoggedOut:
    # No authorizer on this route (a client whose token expired must still be able to sign
    # out): Cognito itself checks the access token it is given, so a forged one ends nothing.
    header = req.header("authorization") or ""
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    access_token = token if token and _token_use(token) == "access" else None
    return accounts.logout(
        get_cognito(), access_token=access_token, refresh_token=body.refresh_token
    )


def _token_use(token: str) -> str | None:
    """The token_use claim, read without verification: only to tell access tokens (which
    Cognito verifies when we hand them over) from ID tokens (which it does not accept)."""
    try:
        claims = unverified_claims(token)
    except Unavailable:  # not a JWT at all
        return None
    use = claims.get("token_use")
    return use if isinstance(use, str) else None


@router.post(
    "/auth/forgot-password",
    "Email a password reset code (same answer for unknown emails)",
    **COGNITO_ONLY,
)
def forgot_password(body: EmailOnly) -> Sent:
    return accounts.forgot_password(get_cognito(), body.email)


@router.post("/auth/reset-password", "Set a new password with the emailed code", **COGNITO_ONLY)
def reset_password(body: ResetPassword) -> PasswordReset:
    return accounts.reset_password(get_cognito(), body.email, body.code, body.new_password)
