from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.cognito import get_cognito
from milequest.domain import accounts
from milequest.models.auth import LoggedIn, Login


def log_in(req: Request) -> LoggedIn:
    body = req.body_as(Login)
    return accounts.login(req.conn, get_cognito(), body.email, body.password)


handler = entrypoint(log_in)
