from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import teams
from milequest.models.teams import TeamDetail


def get_team(req: Request) -> TeamDetail:
    return teams.get_team(req.conn, req.path_uuid("teamId"), req.me)


handler = entrypoint(get_team)
