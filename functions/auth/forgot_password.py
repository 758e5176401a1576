from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.cognito import get_cognito
from milequest.domain import accounts
from milequest.models.auth import EmailOnly, Sent


def forgot_password(req: Request) -> Sent:
    return accounts.forgot_password(get_cognito(), req.body_as(EmailOnly).email)


handler = entrypoint(forgot_password)
