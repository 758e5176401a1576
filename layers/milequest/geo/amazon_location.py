"""Amazon Location Service provider (`geo-routes` CalculateRoutes, pedestrian travel mode).

The response has one or more legs per pair of consecutive waypoints (a ferry crossing splits a
leg); a leg whose arrival place carries a `WaypointIndex`, and the last leg, close a segment.
Any client error, or a response that cannot be mapped to one segment per pair, is a RouteError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from milequest.domain.errors import RouteError
from milequest.geo.types import LatLng, Route, segments_of

_DETAILS = (
    "PedestrianLegDetails",
    "VehicleLegDetails",
    "FerryLegDetails",
)


def _pos(p: LatLng) -> list[float]:
    return [p.lng, p.lat]


def _call(operation: Callable[..., dict[str, Any]], request: dict[str, Any]) -> dict[str, Any]:
    """One provider call; a refusal or an unreachable provider becomes RouteError."""
    try:
        return operation(**request)
    except ClientError as exc:
        message = exc.response.get("Error", {}).get("Message") or "request failed"
        raise RouteError(f"The route could not be calculated: {message}") from exc
    except BotoCoreError as exc:
        raise RouteError("The route provider is unreachable") from exc


def _leg_distance(leg: dict[str, Any]) -> tuple[float, bool]:
    """(metres, closes a segment) of one response leg."""
    for key in _DETAILS:
        details = leg.get(key)
        if not details:
            continue
        overview = details.get("Summary", {}).get("Overview", {})
        distance = overview.get("Distance")
        if distance is None:
            distance = sum(s.get("Distance", 0) for s in details.get("Spans", []))
        arrival = details.get("Arrival", {}).get("Place", {})
        return float(distance), "WaypointIndex" in arrival
    raise RouteError("The route provider returned a leg without distance")


class AmazonLocationProvider:
    name = "amazon-location"

    def __init__(self, client: Any) -> None:
        self._client = client

    def route(self, points: list[LatLng]) -> Route:
        if len(points) < 2:
            raise ValueError("a route needs at least two points")
        request: dict[str, Any] = {
            "Origin": _pos(points[0]),
            "Destination": _pos(points[-1]),
            "TravelMode": "Pedestrian",
            "LegGeometryFormat": "Simple",
        }
        if len(points) > 2:
            request["Waypoints"] = [{"Position": _pos(p)} for p in points[1:-1]]
        response = _call(self._client.calculate_routes, request)
        return self._parse(points, response)

    def _parse(self, points: list[LatLng], response: dict[str, Any]) -> Route:
        routes = response.get("Routes") or []
        if not routes or not routes[0].get("Legs"):
            raise RouteError("No route was found between these points")
        legs = routes[0]["Legs"]
        distances: list[float] = []
        current = 0.0
        path: list[LatLng] = []
        for i, leg in enumerate(legs):
            distance, closes = _leg_distance(leg)
            current += distance
            if closes or i == len(legs) - 1:
                distances.append(current)
                current = 0.0
            for lng, lat in (leg.get("Geometry") or {}).get("LineString") or []:
                p = LatLng(lat=float(lat), lng=float(lng))
                if not path or path[-1] != p:
                    path.append(p)
        if len(distances) != len(points) - 1:
            raise RouteError("The route provider's legs do not match the waypoints")
        if len(path) < 2:
            path = list(points)
        return Route(
            waypoints=list(points), segments=segments_of(distances), path=path, provider=self.name
        )


class LocationCalculatorProvider:
    """The older `location` CalculateRoute API on a named route calculator resource (used when
    `settings.route_calculator_name` is set). One leg per pair of consecutive positions."""

    name = "amazon-location"

    def __init__(self, client: Any, calculator_name: str) -> None:
        self._client = client
        self._calculator = calculator_name

    def route(self, points: list[LatLng]) -> Route:
        if len(points) < 2:
            raise ValueError("a route needs at least two points")
        request: dict[str, Any] = {
            "CalculatorName": self._calculator,
            "DeparturePosition": _pos(points[0]),
            "DestinationPosition": _pos(points[-1]),
            "TravelMode": "Walking",
            "DistanceUnit": "Kilometers",
            "IncludeLegGeometry": True,
        }
        if len(points) > 2:
            request["WaypointPositions"] = [_pos(p) for p in points[1:-1]]
        response = _call(self._client.calculate_route, request)
        legs = response.get("Legs") or []
        if len(legs) != len(points) - 1:
            raise RouteError("The route provider's legs do not match the waypoints")
        path: list[LatLng] = []
        for leg in legs:
            for lng, lat in (leg.get("Geometry") or {}).get("LineString") or []:
                p = LatLng(lat=float(lat), lng=float(lng))
                if not path or path[-1] != p:
                    path.append(p)
        if len(path) < 2:
            path = list(points)
        distances = [float(leg["Distance"]) * 1000.0 for leg in legs]
        return Route(
            waypoints=list(points), segments=segments_of(distances), path=path, provider=self.name
        )
