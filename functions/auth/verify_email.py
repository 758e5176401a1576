from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.cognito import get_cognito
from milequest.domain import accounts
from milequest.models.auth import Verified, VerifyEmail


def verify_email(req: Request) -> Verified:
    body = req.body_as(VerifyEmail)
    return accounts.verify_email(req.conn, get_cognito(), body.email, body.code)


handler = entrypoint(verify_email)
