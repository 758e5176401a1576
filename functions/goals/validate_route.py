"""POST /goals/validate-route: route preview, nothing is written."""

from __future__ import annotations

from functions.entry import entrypoint
from functions.goals._provider import route_provider
from milequest.api.request import Request
from milequest.domain import goals
from milequest.models.goals import RoutePreview, RouteRequest


def validate_route(req: Request) -> RoutePreview:
    return goals.preview_route(route_provider(), req.body_as(RouteRequest))


handler = entrypoint(validate_route)
