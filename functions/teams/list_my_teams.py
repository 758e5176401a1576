from __future__ import annotations

from datetime import datetime
from uuid import UUID

from functions.entry import entrypoint
from milequest.api.pagination import decode_cursor, page_of
from milequest.api.request import Request
from milequest.domain import teams
from milequest.models.base import Page, PageQuery
from milequest.models.teams import MyTeam


def list_my_teams(req: Request) -> Page[MyTeam]:
    q = req.query_as(PageQuery)
    after = decode_cursor(q.cursor, tuple[datetime, UUID]) if q.cursor else None
    rows = teams.list_my_teams(req.conn, req.me, q.limit + 1, after)
    items, cursor = page_of(rows, q.limit, lambda t: (t.joined_at, t.id))
    return Page(items=items, next_cursor=cursor, has_more=cursor is not None)


handler = entrypoint(list_my_teams)
