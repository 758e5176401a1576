"""goals: `handler` is the Lambda entry of every route of the area."""

from functions.goals import goals
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(goals.router)
handler = area_handler(ROUTES)
