"""Every HTTP route, collected from the areas that declare them.

Each area package (`functions/<area>/`) declares its routes with `Router` decorators on the
functions that handle them and gathers them in its `ROUTES`; this module is the one registry they
form. From it come the CDK app's per-route Lambda functions and API Gateway routes, the local
server's routing, `openapi.json`, and the route tables the tests iterate over. Only tools import
this module: a Lambda imports its own area (see docs/architecture.md#routes-and-the-registry).
"""

from __future__ import annotations

from functions import (
    activities,
    auth,
    dashboard,
    goals,
    health,
    leaderboards,
    notifications,
    shares,
    teams,
    users,
)
from milequest.api.routing import Route

ROUTES: tuple[Route, ...] = (
    *health.ROUTES,
    *auth.ROUTES,
    *users.ROUTES,
    *teams.ROUTES,
    *goals.ROUTES,
    *activities.ROUTES,
    *dashboard.ROUTES,
    *leaderboards.ROUTES,
    *notifications.ROUTES,
    *shares.ROUTES,
)

BY_KEY: dict[str, Route] = {route.key: route for route in ROUTES}
