from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import team_invites
from milequest.models.teams import CreateInvite, Invite


def create_invite(req: Request) -> Invite:
    return team_invites.create_invite(
        req.conn, req.path_uuid("teamId"), req.me, req.body_as(CreateInvite)
    )


handler = entrypoint(create_invite)
