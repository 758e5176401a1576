from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_reads import get_visible
from milequest.models.activities import Activity


def get_activity(req: Request) -> Activity:
    return get_visible(req.conn, req.me, req.path_uuid("activityId"))


handler = entrypoint(get_activity)
