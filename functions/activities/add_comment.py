from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_social import add_comment
from milequest.models.activities import Comment, CommentIn


def add_comment_route(req: Request) -> Comment:
    text = req.body_as(CommentIn).text
    return add_comment(req.conn, req.me, req.path_uuid("activityId"), text)


handler = entrypoint(add_comment_route)
