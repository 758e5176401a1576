from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import teams
from milequest.models.teams import MyTeam


def list_my_teams_all(req: Request) -> list[MyTeam]:
    return teams.all_my_teams(req.conn, req.me)


handler = entrypoint(list_my_teams_all)
