"""PATCH /teams/{teamId}/goals/{goalId}: details, dates, waypoints, status (admin)."""

from __future__ import annotations

from functions.entry import entrypoint
from functions.goals._provider import route_provider
from milequest.api.request import Request
from milequest.domain import goals
from milequest.models.goals import Goal, UpdateGoal


def update_goal(req: Request) -> Goal:
    return goals.update_goal(
        req.conn,
        req.path_uuid("teamId"),
        req.path_uuid("goalId"),
        req.me,
        req.body_as(UpdateGoal),
        route_provider(),
    )


handler = entrypoint(update_goal)
