from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import users
from milequest.models.users import Me


def get_me(req: Request) -> Me:
    return users.get_me(req.conn, req.me)


handler = entrypoint(get_me)
