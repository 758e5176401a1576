from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.cognito import get_cognito
from milequest.domain import accounts
from milequest.models.auth import PasswordReset, ResetPassword


def reset_password(req: Request) -> PasswordReset:
    body = req.body_as(ResetPassword)
    return accounts.reset_password(get_cognito(), body.email, body.code, body.new_password)


handler = entrypoint(reset_password)
