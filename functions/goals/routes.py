"""goals routes (registered in functions/registry.py)."""

from __future__ import annotations

from milequest.api.routing import Route
from milequest.models import goals as m

_G = "functions.goals"
_TEAM = "/teams/{teamId}/goals"
_ID = _TEAM + "/{goalId}"

ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        _TEAM,
        f"{_G}.create_goal.handler",
        "Create a goal (DRAFT or ACTIVE) with a computed route",
        body=m.CreateGoal,
        response=m.Goal,
        status=201,
    ),
    Route(
        "GET",
        _TEAM,
        f"{_G}.list_goals.handler",
        "The team's goals, newest first",
        response=list[m.Goal],
    ),
    Route(
        "GET",
        _TEAM + "/active",
        f"{_G}.get_active_goal.handler",
        "The team's ACTIVE goal with progress",
        response=m.Goal,
    ),
    Route("GET", _ID, f"{_G}.get_goal.handler", "A goal with its route", response=m.Goal),
    Route(
        "PATCH",
        _ID,
        f"{_G}.update_goal.handler",
        "Edit a goal (re-routes) or change its status (admin)",
        body=m.UpdateGoal,
        response=m.Goal,
    ),
    Route(
        "PUT",
        _ID,
        f"{_G}.replace_goal.handler",
        "Alias of PATCH",
        body=m.UpdateGoal,
        response=m.Goal,
    ),
    Route(
        "DELETE",
        _ID,
        f"{_G}.delete_goal.handler",
        "Delete a DRAFT or CANCELLED goal (admin)",
        response=m.GoalDeleted,
    ),
    Route(
        "GET",
        _ID + "/progress",
        f"{_G}.get_goal_progress.handler",
        "Progress along the route",
        response=m.GoalProgress,
    ),
    Route(
        "GET",
        _ID + "/daily",
        f"{_G}.get_goal_daily.handler",
        "Daily distance, activities and active members (UTC days)",
        query=m.DailyQuery,
        response=list[m.DailyPoint],
    ),
    Route(
        "POST",
        "/goals/validate-route",
        f"{_G}.validate_route.handler",
        "Preview a route without saving it",
        body=m.RouteRequest,
        response=m.RoutePreview,
    ),
)
