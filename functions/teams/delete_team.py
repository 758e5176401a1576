from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import teams
from milequest.models.teams import Deleted


def delete_team(req: Request) -> Deleted:
    return teams.delete_team(req.conn, req.path_uuid("teamId"), req.me)


handler = entrypoint(delete_team)
