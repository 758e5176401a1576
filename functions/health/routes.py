"""Health route (registered in functions/registry.py)."""

from __future__ import annotations

from milequest.api.routing import Route
from milequest.models.health import HealthStatus

ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        "/health",
        "functions.health.get_health.handler",
        "Service and database health",
        auth=False,
        uses_db=False,
        response=HealthStatus,
        profile="light",
    ),
)
