"""auth routes (registered in functions/registry.py). Credentials live in Cognito."""

from __future__ import annotations

from milequest.api.routing import Route
from milequest.models import auth as m

_P = "functions.auth"

ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/auth/register",
        f"{_P}.register_account.handler",
        "Create an account (Cognito user + users row)",
        auth=False,
        body=m.Register,
        response=m.Registered,
        status=201,
    ),
    Route(
        "POST",
        "/auth/verify-email",
        f"{_P}.verify_email.handler",
        "Confirm the email address with the emailed code",
        auth=False,
        body=m.VerifyEmail,
        response=m.Verified,
    ),
    Route(
        "POST",
        "/auth/resend-code",
        f"{_P}.resend_code.handler",
        "Send the verification code again",
        auth=False,
        uses_db=False,
        body=m.EmailOnly,
        response=m.Sent,
        profile="light",
    ),
    Route(
        "POST",
        "/auth/login",
        f"{_P}.log_in.handler",
        "Sign in with email and password",
        auth=False,
        body=m.Login,
        response=m.LoggedIn,
    ),
    Route(
        "POST",
        "/auth/refresh",
        f"{_P}.refresh_tokens.handler",
        "New access and ID tokens from a refresh token",
        auth=False,
        uses_db=False,
        body=m.Refresh,
        response=m.Refreshed,
        profile="light",
    ),
    Route(
        "POST",
        "/auth/logout",
        f"{_P}.log_out.handler",
        "Sign out: the given refresh token (or, without one, every session) stops working",
        uses_db=False,
        body=m.LogOut,
        response=m.LoggedOut,
        profile="light",
    ),
    Route(
        "POST",
        "/auth/forgot-password",
        f"{_P}.forgot_password.handler",
        "Email a password reset code (same answer for unknown emails)",
        auth=False,
        uses_db=False,
        body=m.EmailOnly,
        response=m.Sent,
        profile="light",
    ),
    Route(
        "POST",
        "/auth/reset-password",
        f"{_P}.reset_password.handler",
        "Set a new password with the emailed code",
        auth=False,
        uses_db=False,
        body=m.ResetPassword,
        response=m.PasswordReset,
        profile="light",
    ),
)
