"""GET /teams/{teamId}/goals/{goalId}: the goal with its route (and progress once started)."""

from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import goals
from milequest.models.goals import Goal


def get_goal(req: Request) -> Goal:
    return goals.get_goal(req.conn, req.path_uuid("teamId"), req.path_uuid("goalId"), req.me)


handler = entrypoint(get_goal)
