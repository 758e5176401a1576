from __future__ import annotations

from datetime import datetime
from uuid import UUID

from functions.entry import entrypoint
from milequest.api.pagination import decode_cursor, page_of
from milequest.api.request import Request
from milequest.domain import team_activity
from milequest.models.base import Page, PageQuery
from milequest.models.teams import FeedItem


def team_feed(req: Request) -> Page[FeedItem]:
    q = req.query_as(PageQuery)
    after = decode_cursor(q.cursor, tuple[datetime, UUID]) if q.cursor else None
    rows = team_activity.feed(req.conn, req.path_uuid("teamId"), req.me, q.limit + 1, after)
    items, cursor = page_of(rows, q.limit, lambda a: (a.timestamp, a.id))
    return Page(items=items, next_cursor=cursor, has_more=cursor is not None)


handler = entrypoint(team_feed)
