"""The team feed and team stats (members only)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import team_feed
from milequest.domain import paging
from milequest.domain.access import require_member
from milequest.models.base import Page, PageQuery
from milequest.models.teams import FeedItem, PeriodDistance, TeamStats


def feed(
    conn: Connection[Any],
    team_id: UUID,
    user_id: UUID,
    q: PageQuery,
) -> Page[FeedItem]:
    """The team's activities, newest first, keyset-paged on (activity_at, id)."""
    require_member(conn, team_id, user_id)
    after, fetch = paging.window(q)
    rows = team_feed.feed(conn, team_id, user_id, limit=fetch, after=after)
    items = [FeedItem.model_validate(r) for r in rows]
    return paging.page(items, q, lambda a: (a.timestamp, a.id))


def stats(conn: Connection[Any], team_id: UUID, user_id: UUID) -> TeamStats:
    require_member(conn, team_id, user_id)
    r = team_feed.stats(conn, team_id, user_id)
    return TeamStats(
        total_distance=float(r.total_distance),
        total_activities=r.total_activities,
        member_count=r.member_count,
        distance=PeriodDistance(
            today=float(r.today), this_week=float(r.this_week), this_month=float(r.this_month)
        ),
        active_today=r.active_today,
        active_this_week=r.active_this_week,
        timezone=r.timezone,
    )
