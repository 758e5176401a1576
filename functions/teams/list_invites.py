from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import team_invites
from milequest.models.teams import Invite


def list_invites(req: Request) -> list[Invite]:
    return team_invites.list_invites(req.conn, req.path_uuid("teamId"), req.me)


handler = entrypoint(list_invites)
