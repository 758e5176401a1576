from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.config import get_settings
from milequest.domain import teams
from milequest.models.teams import CreateTeam, Team


def create_team(req: Request) -> Team:
    settings = get_settings()
    return teams.create_team(
        req.conn,
        req.me,
        req.body_as(CreateTeam),
        daily_limit=settings.team_creation_limit,
        max_members=settings.team_member_cap,
    )


handler = entrypoint(create_team)
