"""notifications: my inbox and preferences, and Web Push subscriptions. `handler` is the Lambda
entry of every route here."""

from functions.notifications import inbox, push
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(inbox.router, push.router)
handler = area_handler(ROUTES)
