"""Value types shared by every route provider."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import polyline

# docs/domain.md#routes: route length ≤ 50 000 km.
MAX_ROUTE_METERS = 50_000_000.0


@dataclass(frozen=True)
class LatLng:
    lat: float
    lng: float


@dataclass(frozen=True)
class Segment:
    """One leg between consecutive waypoints, in metres."""

    distance: float
    cumulative_distance: float


@dataclass(frozen=True)
class Route:
    """A measured route. `path` is the full geometry (start … end), used for the polyline and
    the PostGIS LineString; `waypoints` are the points it was routed through (start … end)."""

    waypoints: list[LatLng]
    segments: list[Segment]
    path: list[LatLng]
    provider: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total_distance(self) -> float:
        return self.segments[-1].cumulative_distance if self.segments else 0.0

    @property
    def bounds(self) -> dict[str, float]:
        lats = [p.lat for p in self.path]
        lngs = [p.lng for p in self.path]
        return {"north": max(lats), "south": min(lats), "east": max(lngs), "west": min(lngs)}

    @property
    def encoded_polyline(self) -> str:
        return str(polyline.encode([(p.lat, p.lng) for p in self.path], 5))

    def wkt(self) -> str:
        """EWKT of the path for `ST_GeogFromText` (a LineString needs two distinct points)."""
        coords = ", ".join(f"{p.lng!r} {p.lat!r}" for p in self.path)
        return f"SRID=4326;LINESTRING({coords})"

    def to_data(self) -> dict[str, Any]:
        """JSON stored in team_goals.route_data (metres)."""
        return {
            "provider": self.provider,
            "totalDistance": round(self.total_distance, 3),
            "segments": [
                {
                    "distance": round(s.distance, 3),
                    "cumulativeDistance": round(s.cumulative_distance, 3),
                }
                for s in self.segments
            ],
            "waypoints": [{"lat": p.lat, "lng": p.lng} for p in self.waypoints],
            "bounds": self.bounds,
            "encodedPolyline": self.encoded_polyline,
        }


def segments_of(distances: list[float]) -> list[Segment]:
    out: list[Segment] = []
    total = 0.0
    for d in distances:
        total += d
        out.append(Segment(distance=d, cumulative_distance=total))
    return out


class RouteProvider(Protocol):
    def route(self, points: list[LatLng]) -> Route:
        """Route through `points` in order (at least two). Raises RouteError on failure."""
        ...
