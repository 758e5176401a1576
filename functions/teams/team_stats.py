from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import team_activity
from milequest.models.teams import TeamStats


def team_stats(req: Request) -> TeamStats:
    return team_activity.stats(req.conn, req.path_uuid("teamId"), req.me)


handler = entrypoint(team_stats)
