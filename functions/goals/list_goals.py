"""GET /teams/{teamId}/goals: every goal of the team, newest first."""

from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import goals
from milequest.models.goals import Goal


def list_goals(req: Request) -> list[Goal]:
    return goals.list_goals(req.conn, req.path_uuid("teamId"), req.me)


handler = entrypoint(list_goals)
