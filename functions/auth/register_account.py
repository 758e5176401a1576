from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.cognito import get_cognito
from milequest.domain import accounts
from milequest.models.auth import Register, Registered


def register_account(req: Request) -> Registered:
    body = req.body_as(Register)
    return accounts.register(
        req.conn,
        get_cognito(),
        email=body.email,
        password=body.password,
        name=body.name,
        timezone=body.timezone,
        preferred_units=body.preferred_units,
    )


handler = entrypoint(register_account)
