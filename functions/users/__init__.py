"""users: `handler` is the Lambda entry of every route of the area."""

from functions.users import users
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(users.router)
handler = area_handler(ROUTES)
