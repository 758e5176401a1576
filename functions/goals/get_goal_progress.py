"""GET /teams/{teamId}/goals/{goalId}/progress."""

from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import goals
from milequest.models.goals import GoalProgress


def get_goal_progress(req: Request) -> GoalProgress:
    return goals.get_progress(req.conn, req.path_uuid("teamId"), req.path_uuid("goalId"), req.me)


handler = entrypoint(get_goal_progress)
