"""Auth requests and responses (docs/api.md#auth)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from milequest.models.base import ApiModel, InputModel
from milequest.models.users import Email, Name, TimeZone, UnitsIn, User

# The pool's password policy is Cognito's to enforce (one source of truth); here only bounds.
Password = Annotated[str, Field(min_length=1, max_length=256)]
# Cognito's verification and reset codes are six digits.
Code = Annotated[str, Field(pattern=r"^[0-9]{6}$")]


class Register(InputModel):
    email: Email
    password: Password
    name: Name
    timezone: TimeZone = "UTC"
    preferred_units: UnitsIn = "metric"


class VerifyEmail(InputModel):
    email: Email
    code: Code


class EmailOnly(InputModel):
    email: Email


class Login(InputModel):
    email: Email
    password: Password


class Refresh(InputModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=4096)]


class ResetPassword(InputModel):
    email: Email
    code: Code
    new_password: Password


class TokenSet(ApiModel):
    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int
    token_type: str = "Bearer"


class Registered(ApiModel):
    user: User
    requires_verification: bool


class LoggedIn(ApiModel):
    user: User
    tokens: TokenSet


class Refreshed(ApiModel):
    tokens: TokenSet


class Verified(ApiModel):
    verified: bool = True


class Sent(ApiModel):
    sent: bool = True


class PasswordReset(ApiModel):
    reset: bool = True


class LoggedOut(ApiModel):
    pass


class LogOut(InputModel):
    """Optional: the refresh token of the session to end (RevokeToken). Without it every
    session of the user ends (GlobalSignOut)."""

    refresh_token: Annotated[str, Field(min_length=1, max_length=4096)] | None = None
