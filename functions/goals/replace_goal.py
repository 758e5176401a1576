"""PUT /teams/{teamId}/goals/{goalId}: alias of PATCH (API.md)."""

from __future__ import annotations

from functions.entry import entrypoint
from functions.goals._provider import route_provider
from milequest.api.request import Request
from milequest.domain import goals
from milequest.models.goals import Goal, UpdateGoal


def replace_goal(req: Request) -> Goal:
    return goals.update_goal(
        req.conn,
        req.path_uuid("teamId"),
        req.path_uuid("goalId"),
        req.me,
        req.body_as(UpdateGoal),
        route_provider(),
    )


handler = entrypoint(replace_goal)
