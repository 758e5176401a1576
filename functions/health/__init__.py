"""health: service and database health. `handler` is the area's Lambda entry."""

from functions.health import health
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(health.router)
handler = area_handler(ROUTES)
