"""POST /teams/{teamId}/goals."""

from __future__ import annotations

from functions.entry import entrypoint
from functions.goals._provider import route_provider
from milequest.api.request import Request
from milequest.api.responses import Reply
from milequest.domain import goals
from milequest.models.goals import CreateGoal


def create_goal(req: Request) -> Reply:
    goal = goals.create_goal(
        req.conn, req.path_uuid("teamId"), req.me, req.body_as(CreateGoal), route_provider()
    )
    return Reply(goal, status=201)


handler = entrypoint(create_goal)
