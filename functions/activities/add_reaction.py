from __future__ import annotations

from urllib.parse import unquote

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_social import react
from milequest.models.activities import Reaction


def add_reaction(req: Request) -> Reaction:
    return react(req.conn, req.me, req.path_uuid("activityId"), unquote(req.path("emoji")))


handler = entrypoint(add_reaction)
