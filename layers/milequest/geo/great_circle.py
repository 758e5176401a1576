"""Great-circle provider: geodesic legs on the WGS84 ellipsoid (geographiclib, Karney 2013).

Leg lengths are `Geodesic.WGS84.Inverse`, the same model PostGIS uses for `geography`
distances. The stored path follows each geodesic with an intermediate point every ~10 km
(at most 100 per leg), so the LineString and polyline draw the real route on a map.
"""

from __future__ import annotations

import math
from functools import lru_cache

from geographiclib.geodesic import Geodesic
from geographiclib.geodesicline import GeodesicLine

from milequest.geo.types import LatLng, Route, segments_of

STEP_METERS = 10_000.0
MAX_POINTS_PER_LEG = 100


# A goal's position on its route is computed on every progress read, from the leg the team is
# on, and a team stays on one leg for days: each leg's geodesic is solved once per process
# (pure functions of the endpoints, ≈ 0.3 ms each in pure Python). A GeodesicLine is not
# changed by Position(), so one can serve every caller.
@lru_cache(maxsize=1024)
def _inverse(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    return float(Geodesic.WGS84.Inverse(lat1, lng1, lat2, lng2)["s12"])


@lru_cache(maxsize=1024)
def _line(lat1: float, lng1: float, lat2: float, lng2: float) -> GeodesicLine:
    return Geodesic.WGS84.InverseLine(lat1, lng1, lat2, lng2)


def leg_distance(a: LatLng, b: LatLng) -> float:
    return _inverse(a.lat, a.lng, b.lat, b.lng)


def point_along(a: LatLng, b: LatLng, distance: float) -> LatLng:
    """The point `distance` metres from `a` along the geodesic a→b (clamped to the leg)."""
    line = _line(a.lat, a.lng, b.lat, b.lng)
    s = min(max(distance, 0.0), line.s13)
    pos = line.Position(s)
    return LatLng(lat=float(pos["lat2"]), lng=float(pos["lon2"]))


def leg_path(a: LatLng, b: LatLng) -> list[LatLng]:
    """Points along a→b, excluding `a`, ending exactly at `b`."""
    line = Geodesic.WGS84.InverseLine(a.lat, a.lng, b.lat, b.lng)
    n = min(MAX_POINTS_PER_LEG, max(1, math.ceil(line.s13 / STEP_METERS)))
    out: list[LatLng] = []
    for i in range(1, n):
        pos = line.Position(line.s13 * i / n)
        out.append(LatLng(lat=float(pos["lat2"]), lng=float(pos["lon2"])))
    out.append(b)
    return out


class GreatCircleProvider:
    name = "great-circle"

    def route(self, points: list[LatLng]) -> Route:
        if len(points) < 2:
            raise ValueError("a route needs at least two points")
        distances = [leg_distance(a, b) for a, b in zip(points, points[1:], strict=False)]
        path = [points[0]]
        for a, b in zip(points, points[1:], strict=False):
            path.extend(leg_path(a, b))
        return Route(
            waypoints=list(points), segments=segments_of(distances), path=path, provider=self.name
        )
