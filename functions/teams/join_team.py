from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.config import get_settings
from milequest.domain import team_membership
from milequest.models.teams import JoinResult, JoinTeam


def join_team(req: Request) -> JoinResult:
    return team_membership.join_team(
        req.conn, req.me, req.body_as(JoinTeam), member_cap=get_settings().team_member_cap
    )


handler = entrypoint(join_team)
