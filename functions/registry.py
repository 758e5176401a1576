"""Every HTTP route, declared once.

Each area lists its routes in `functions/<area>/routes.py`; this module is the single registry
they form. From it come the CDK app's per-route Lambda functions and API Gateway routes, the
local server's routing, `openapi.json`, and the route tables the tests iterate over. Adding a
route is: write the handler module (ending in `handler = entrypoint(fn)`), add one `Route` to
its area's `routes.py`, test it.
"""

from __future__ import annotations

from functions.activities import routes as activities
from functions.auth import routes as auth
from functions.dashboard import routes as dashboard
from functions.goals import routes as goals
from functions.health import routes as health
from functions.leaderboards import routes as leaderboards
from functions.notifications import routes as notifications
from functions.teams import routes as teams
from functions.users import routes as users
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
)

BY_HANDLER: dict[str, Route] = {route.handler: route for route in ROUTES}
BY_KEY: dict[str, Route] = {route.key: route for route in ROUTES}


def route_for(handler: str) -> Route:
    return BY_HANDLER[handler]
