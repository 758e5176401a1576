"""Sign-up, sign-in, sign-out and password routes over the Cognito user pool; none needs a
token (logout uses the one it is given, if any)."""

from __future__ import annotations

import base64
import json

from milequest.api.request import Request
from milequest.api.routing import Router
from milequest.cognito import get_cognito
from milequest.domain import accounts
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


@router.post(
    "/auth/resend-code",
    "Send the verification code again",
    uses_db=False,
    profile="light",
)
def resend_code(body: EmailOnly) -> Sent:
    return accounts.resend_code(get_cognito(), body.email)


@router.post("/auth/login", "Sign in with email and password")
def log_in(req: Request, body: Login) -> LoggedIn:
    return accounts.login(req.conn, get_cognito(), body.email, body.password)


@router.post(
    "/auth/refresh",
    "New access and ID tokens from a refresh token",
    uses_db=False,
    profile="light",
)
def refresh_tokens(body: Refresh) -> Refreshed:
    return accounts.refresh(get_cognito(), body.refresh_token)


@router.post(
    "/auth/logout",
    "Sign out: whatever is given (bearer access token, refresh token) stops working; always 200",
    uses_db=False,
    profile="light",
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
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return None
    return claims.get("token_use") if isinstance(claims, dict) else None


@router.post(
    "/auth/forgot-password",
    "Email a password reset code (same answer for unknown emails)",
    uses_db=False,
    profile="light",
)
def forgot_password(body: EmailOnly) -> Sent:
    return accounts.forgot_password(get_cognito(), body.email)


@router.post(
    "/auth/reset-password",
    "Set a new password with the emailed code",
    uses_db=False,
    profile="light",
)
def reset_password(body: ResetPassword) -> PasswordReset:
    return accounts.reset_password(get_cognito(), body.email, body.code, body.new_password)
