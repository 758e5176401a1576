from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import team_membership
from milequest.models.teams import MemberRemoved


def remove_member(req: Request) -> MemberRemoved:
    """An admin removes a member; `me` as userId means leaving the team."""
    target = None if req.path("userId") == "me" else req.path_uuid("userId")
    return team_membership.remove_member(req.conn, req.path_uuid("teamId"), req.me, target)


handler = entrypoint(remove_member)
