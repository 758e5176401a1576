from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import teams
from milequest.models.teams import Team, UpdateTeam


def update_team(req: Request) -> Team:
    return teams.update_team(req.conn, req.path_uuid("teamId"), req.me, req.body_as(UpdateTeam))


handler = entrypoint(update_team)
