from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_log import delete_activity
from milequest.models.activities import ActivityDeleted


def delete_activity_route(req: Request) -> ActivityDeleted:
    return delete_activity(req.conn, req.me, req.path_uuid("activityId"))


handler = entrypoint(delete_activity_route)
