from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import users
from milequest.models.users import PublicProfile


def get_user(req: Request) -> PublicProfile:
    return users.public_profile(req.conn, req.me, req.path_uuid("userId"))


handler = entrypoint(get_user)
