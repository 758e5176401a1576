"""Sign-up, sign-in and password routes over the Cognito user pool; no token needed
except for logout."""

from __future__ import annotations

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

router = Router()


@router.post(
    "/auth/register", "Create an account (Cognito user + users row)", auth=False, status=201
)
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


@router.post("/auth/verify-email", "Confirm the email address with the emailed code", auth=False)
def verify_email(req: Request, body: VerifyEmail) -> Verified:
    return accounts.verify_email(req.conn, get_cognito(), body.email, body.code)


@router.post(
    "/auth/resend-code",
    "Send the verification code again",
    auth=False,
    uses_db=False,
    profile="light",
)
def resend_code(body: EmailOnly) -> Sent:
    return accounts.resend_code(get_cognito(), body.email)


@router.post("/auth/login", "Sign in with email and password", auth=False)
def log_in(req: Request, body: Login) -> LoggedIn:
    return accounts.login(req.conn, get_cognito(), body.email, body.password)


@router.post(
    "/auth/refresh",
    "New access and ID tokens from a refresh token",
    auth=False,
    uses_db=False,
    profile="light",
)
def refresh_tokens(body: Refresh) -> Refreshed:
    return accounts.refresh(get_cognito(), body.refresh_token)


@router.post(
    "/auth/logout",
    "Sign out: the given refresh token (or, without one, every session) stops working",
    uses_db=False,
    profile="light",
)
def log_out(req: Request, body: LogOut) -> LoggedOut:
    caller = req.caller
    assert caller is not None  # auth=True: the entry answered 401 otherwise
    claims = caller.claims
    # The bearer token is the one API Gateway's authorizer verified to produce these claims.
    header = req.header("authorization") or ""
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    access_token = token if token and claims.get("token_use") == "access" else None
    username = str(claims.get("cognito:username") or claims.get("username") or caller.sub)
    return accounts.logout(
        get_cognito(),
        username,
        access_token=access_token,
        refresh_token=body.refresh_token,
    )


@router.post(
    "/auth/forgot-password",
    "Email a password reset code (same answer for unknown emails)",
    auth=False,
    uses_db=False,
    profile="light",
)
def forgot_password(body: EmailOnly) -> Sent:
    return accounts.forgot_password(get_cognito(), body.email)


@router.post(
    "/auth/reset-password",
    "Set a new password with the emailed code",
    auth=False,
    uses_db=False,
    profile="light",
)
def reset_password(body: ResetPassword) -> PasswordReset:
    return accounts.reset_password(get_cognito(), body.email, body.code, body.new_password)
