from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_social import delete_comment
from milequest.models.base import Empty


def delete_comment_route(req: Request) -> Empty:
    delete_comment(req.conn, req.me, req.path_uuid("activityId"), req.path_uuid("commentId"))
    return Empty()


handler = entrypoint(delete_comment_route)
