"""The configured route provider (settings.route_provider), built once per execution env."""

from __future__ import annotations

from functools import lru_cache

from milequest.config import get_settings
from milequest.geo import RouteProvider, provider_for


@lru_cache(maxsize=1)
def route_provider() -> RouteProvider:
    s = get_settings()
    return provider_for(
        s.route_provider, region=s.aws_region, calculator_name=s.route_calculator_name
    )
