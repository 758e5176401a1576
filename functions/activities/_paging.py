"""Keyset paging of activity lists, shared by /activities and /users/me/activities."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from milequest.api.pagination import decode_cursor, page_of
from milequest.api.request import Request
from milequest.domain.activity_reads import list_own
from milequest.models.activities import Activity, ActivityListQuery
from milequest.models.base import Page


def own_activities_page(req: Request) -> Page[Activity]:
    q = req.query_as(ActivityListQuery)
    after = decode_cursor(q.cursor, tuple[datetime, UUID]) if q.cursor else None
    items = list_own(req.conn, req.me, q, after)
    page, cursor = page_of(items, q.limit, lambda a: (a.timestamp.isoformat(), str(a.id)))
    return Page[Activity](items=page, next_cursor=cursor, has_more=cursor is not None)
