"""PUT /activities/{activityId}: the same partial update as PATCH (an alias, per API.md)."""

from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_log import edit_activity
from milequest.models.activities import ActivityWritten, UpdateActivity


def replace_activity(req: Request) -> ActivityWritten:
    return edit_activity(req.conn, req.me, req.path_uuid("activityId"), req.body_as(UpdateActivity))


handler = entrypoint(replace_activity)
