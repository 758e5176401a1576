from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_social import list_comments
from milequest.models.activities import Comment


def list_comments_route(req: Request) -> list[Comment]:
    return list_comments(req.conn, req.me, req.path_uuid("activityId"))


handler = entrypoint(list_comments_route)
