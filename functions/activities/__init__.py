"""activities: the write path, the user's own reads and aggregates, comments and reactions, and
the achievement catalog. `handler` is the Lambda entry of every route here."""

from functions.activities import activities, social
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(activities.router, social.router)
handler = area_handler(ROUTES)
