from __future__ import annotations

from datetime import datetime
from uuid import UUID

from functions.entry import entrypoint
from milequest.api.pagination import decode_cursor, page_of
from milequest.api.request import Request
from milequest.domain import team_membership
from milequest.models.base import Page, PageQuery
from milequest.models.teams import Member


def list_members(req: Request) -> Page[Member]:
    q = req.query_as(PageQuery)
    after = decode_cursor(q.cursor, tuple[datetime, UUID]) if q.cursor else None
    rows = team_membership.list_members(
        req.conn, req.path_uuid("teamId"), req.me, q.limit + 1, after
    )
    page, cursor = page_of(rows, q.limit, lambda row: row[0])
    return Page(items=[m for _, m in page], next_cursor=cursor, has_more=cursor is not None)


handler = entrypoint(list_members)
