"""GET /teams/{teamId}/goals/{goalId}/daily: per UTC day distance, activities, active members."""

from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import goals
from milequest.models.goals import DailyPoint, DailyQuery


def get_goal_daily(req: Request) -> list[DailyPoint]:
    q = req.query_as(DailyQuery)
    return goals.daily_series(
        req.conn, req.path_uuid("teamId"), req.path_uuid("goalId"), req.me, q.days
    )


handler = entrypoint(get_goal_daily)
