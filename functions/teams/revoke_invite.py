from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import team_invites
from milequest.models.teams import Invite


def revoke_invite(req: Request) -> Invite:
    return team_invites.revoke_invite(
        req.conn, req.path_uuid("teamId"), req.me, req.path_uuid("inviteId")
    )


handler = entrypoint(revoke_invite)
