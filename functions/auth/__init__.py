"""auth: `handler` is the Lambda entry of every route of the area."""

from functions.auth import auth
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(auth.router)
handler = area_handler(ROUTES)
