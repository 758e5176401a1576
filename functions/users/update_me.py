from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import users
from milequest.models.users import Me, UpdateMe


def update_me(req: Request) -> Me:
    return users.update_me(req.conn, req.me, req.body_as(UpdateMe))


handler = entrypoint(update_me)
