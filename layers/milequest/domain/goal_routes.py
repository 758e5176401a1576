"""Goal routes: the start, waypoints and end a goal follows, planned by the route provider.

Planning may be a network call, so callers do it before opening any transaction."""

from __future__ import annotations

from milequest.domain.errors import ValidationFailed
from milequest.geo import MAX_ROUTE_METERS, LatLng, Route, RouteProvider
from milequest.models.goals import Location, RoutePreview, RouteRequest


def _points(start: Location, waypoints: list[Location], end: Location) -> list[LatLng]:
    points = [LatLng(p.lat, p.lng) for p in (start, *waypoints, end)]
    for i, (a, b) in enumerate(zip(points, points[1:], strict=False)):
        if a == b:
            raise ValidationFailed(
                "Consecutive route points must differ",
                details=[
                    {"field": _point_field(i + 1, len(points)), "message": "same as previous"}
                ],
            )
    return points


def _point_field(index: int, count: int) -> str:
    return "endLocation" if index == count - 1 else f"waypoints[{index - 1}]"


def plan_route(
    provider: RouteProvider, start: Location, waypoints: list[Location], end: Location
) -> Route:
    route = provider.route(_points(start, waypoints, end))
    if route.total_distance > MAX_ROUTE_METERS:
        raise ValidationFailed(
            "The route is longer than 50 000 km",
            details=[{"field": "waypoints", "message": "route longer than 50 000 km"}],
        )
    return route


def preview_route(provider: RouteProvider, body: RouteRequest) -> RoutePreview:
    route = plan_route(provider, body.start_location, body.waypoints, body.end_location)
    data = route.to_data()
    return RoutePreview.model_validate(data)
