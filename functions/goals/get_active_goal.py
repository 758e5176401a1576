"""GET /teams/{teamId}/goals/active: the ACTIVE goal with its progress, or 404."""

from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import goals
from milequest.models.goals import Goal


def get_active_goal(req: Request) -> Goal:
    return goals.get_active_goal(req.conn, req.path_uuid("teamId"), req.me)


handler = entrypoint(get_active_goal)
