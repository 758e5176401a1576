"""teams: `handler` is the Lambda entry of every route of the area."""

from functions.teams import analytics, members, teams
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(teams.router, members.router, analytics.router)
handler = area_handler(ROUTES)
