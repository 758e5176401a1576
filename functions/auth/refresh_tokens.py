from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.cognito import get_cognito
from milequest.domain import accounts
from milequest.models.auth import Refresh, Refreshed


def refresh_tokens(req: Request) -> Refreshed:
    return accounts.refresh(get_cognito(), req.body_as(Refresh).refresh_token)


handler = entrypoint(refresh_tokens)
