"""A team's goals: create, read, edit/re-route, status changes, progress; route previews."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID

from milequest.api.request import Request
from milequest.api.routing import Router
from milequest.config import get_settings
from milequest.domain import goal_reads, goal_routes
from milequest.geo import RouteProvider, provider_for
from milequest.models.goals import (
    CreateGoal,
    DailyPoint,
    DailyQuery,
    Goal,
    GoalDeleted,
    GoalProgress,
    RoutePreview,
    RouteRequest,
    UpdateGoal,
)

router = Router()
_TEAM = "/teams/{teamId}/goals"
_ID = _TEAM + "/{goalId}"


@lru_cache(maxsize=1)
def route_provider() -> RouteProvider:
    """The configured route provider (settings.route_provider), built once per execution env."""
    s = get_settings()
    return provider_for(
        s.route_provider, region=s.aws_region, calculator_name=s.route_calculator_name
    )


@router.post(_TEAM, "Create a goal (DRAFT or ACTIVE) with a computed route", status=201)
def create_goal(req: Request, body: CreateGoal, team_id: UUID) -> Goal:
    # The write path (team progress, contributions, notifications) is imported by the routes
    # that write only: it is no read route's cold start.
    from milequest.domain import goals

    return goals.create_goal(req.conn, team_id, req.me, body, route_provider())


@router.get(_TEAM, "The team's goals, newest first")
def list_goals(req: Request, team_id: UUID) -> list[Goal]:
    return goal_reads.list_goals(req.conn, team_id, req.me)


@router.get(_TEAM + "/active", "The team's ACTIVE goal with progress")
def get_active_goal(req: Request, team_id: UUID) -> Goal:
    return goal_reads.get_active_goal(req.conn, team_id, req.me)


@router.get(_ID, "A goal with its route")
def get_goal(req: Request, team_id: UUID, goal_id: UUID) -> Goal:
    return goal_reads.get_goal(req.conn, team_id, goal_id, req.me)


@router.patch(_ID, "Edit a goal (re-routes) or change its status (admin)", also=("PUT",))
def update_goal(req: Request, body: UpdateGoal, team_id: UUID, goal_id: UUID) -> Goal:
    from milequest.domain import goals  # the write path: see create_goal

    return goals.update_goal(req.conn, team_id, goal_id, req.me, body, route_provider())


@router.delete(_ID, "Delete a DRAFT or CANCELLED goal (admin)")
def delete_goal(req: Request, team_id: UUID, goal_id: UUID) -> GoalDeleted:
    from milequest.domain import goals  # the write path: see create_goal

    return goals.delete_goal(req.conn, team_id, goal_id, req.me)


@router.get(_ID + "/progress", "Progress along the route")
def get_goal_progress(req: Request, team_id: UUID, goal_id: UUID) -> GoalProgress:
    return goal_reads.get_progress(req.conn, team_id, goal_id, req.me)


@router.get(_ID + "/daily", "Daily distance, activities and active members (UTC days)")
def get_goal_daily(
    req: Request, query: DailyQuery, team_id: UUID, goal_id: UUID
) -> list[DailyPoint]:
    return goal_reads.daily_series(req.conn, team_id, goal_id, req.me, query.days)


@router.post("/goals/validate-route", "Preview a route without saving it")
def validate_route(body: RouteRequest) -> RoutePreview:
    return goal_routes.preview_route(route_provider(), body)
