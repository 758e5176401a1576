"""DELETE /teams/{teamId}/goals/{goalId}: admin; DRAFT or CANCELLED goals only."""

from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import goals
from milequest.models.goals import GoalDeleted


def delete_goal(req: Request) -> GoalDeleted:
    return goals.delete_goal(req.conn, req.path_uuid("teamId"), req.path_uuid("goalId"), req.me)


handler = entrypoint(delete_goal)
