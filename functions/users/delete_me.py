from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.cognito import get_cognito
from milequest.domain import users_account
from milequest.models.users import Deleted


def delete_me(req: Request) -> Deleted:
    return users_account.delete_account(req.conn, get_cognito(), req.me)


handler = entrypoint(delete_me)
