"""dashboard: the home screen in one call. `handler` is the Lambda entry of its route."""

from functions.dashboard import dashboard
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(dashboard.router)
handler = area_handler(ROUTES)
