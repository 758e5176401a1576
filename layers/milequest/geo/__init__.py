"""Route providers (docs/domain.md#routes): waypoints in, a measured route out.

`provider_for(name, ...)` picks the implementation configured by `settings.route_provider`:
great-circle legs on the WGS84 ellipsoid (offline, the default) or Amazon Location routes:
the `geo-routes` API, or `location` CalculateRoute when a route calculator name is configured.
"""

from __future__ import annotations

from milequest.geo.types import MAX_ROUTE_METERS, LatLng, Route, RouteProvider, Segment

__all__ = ["MAX_ROUTE_METERS", "LatLng", "Route", "RouteProvider", "Segment", "provider_for"]


def provider_for(
    name: str, *, region: str | None = None, calculator_name: str | None = None
) -> RouteProvider:
    """The configured provider; names as in `Settings.route_provider` (hyphen or underscore)."""
    key = name.replace("_", "-")
    if key == "great-circle":
        from milequest.geo.great_circle import GreatCircleProvider

        return GreatCircleProvider()
    if key == "amazon-location":
        import boto3

        from milequest.geo.amazon_location import (
            AmazonLocationProvider,
            LocationCalculatorProvider,
        )

        if calculator_name:
            client = boto3.client("location", region_name=region)
            return LocationCalculatorProvider(client, calculator_name)
        return AmazonLocationProvider(boto3.client("geo-routes", region_name=region))
    raise ValueError(f"unknown route provider {name!r}")
