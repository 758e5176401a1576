from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import team_invites
from milequest.models.teams import MyInvite


def list_my_invites(req: Request) -> list[MyInvite]:
    return team_invites.my_invites(req.conn, req.me)


handler = entrypoint(list_my_invites)
