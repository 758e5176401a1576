from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.api.responses import Reply
from milequest.config import get_settings
from milequest.domain.activity_log import log_activity
from milequest.models.activities import CreateActivity


def log_activity_route(req: Request) -> Reply:
    logged = log_activity(
        req.conn, req.me, req.body_as(CreateActivity), get_settings().activity_rate_limit
    )
    # An import already logged (same source + externalId) answers 200 with the existing one.
    return Reply(logged.written, status=201 if logged.created else 200)


handler = entrypoint(log_activity_route)
