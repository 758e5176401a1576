"""The team feed and team stats (members only)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import teams as teams_db
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
    items = [
        FeedItem(
            id=r["id"],
            user_id=r["user_id"],
            user_name=r["user_name"],
            distance=float(r["distance"]),
            duration=r["duration"],
            pace=None if r["pace"] is None else float(r["pace"]),
            timestamp=r["activity_at"],
            notes=r["notes"],
            is_private=r["is_private"],
            created_at=r["created_at"],
        )
        for r in teams_db.feed(conn, team_id, user_id, limit=fetch, after=after)
    ]
    return paging.page(items, q, lambda a: (a.timestamp, a.id))


def stats(conn: Connection[Any], team_id: UUID, user_id: UUID) -> TeamStats:
    require_member(conn, team_id, user_id)
    r = teams_db.stats(conn, team_id, user_id)
    return TeamStats(
        total_distance=float(r["total_distance"]),
        total_activities=r["total_activities"],
        member_count=r["member_count"],
        distance=PeriodDistance(
            today=float(r["today"]),
            this_week=float(r["this_week"]),
            this_month=float(r["this_month"]),
        ),
        active_today=r["active_today"],
        active_this_week=r["active_this_week"],
        timezone=r["timezone"],
    )
