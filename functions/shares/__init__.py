"""shares: sharing an activity as a public card. `handler` is the Lambda entry of every route
here."""

from functions.shares import shares
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(shares.router)
handler = area_handler(ROUTES)
