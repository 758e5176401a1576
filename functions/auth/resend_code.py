from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.cognito import get_cognito
from milequest.domain import accounts
from milequest.models.auth import EmailOnly, Sent


def resend_code(req: Request) -> Sent:
    return accounts.resend_code(get_cognito(), req.body_as(EmailOnly).email)


handler = entrypoint(resend_code)
