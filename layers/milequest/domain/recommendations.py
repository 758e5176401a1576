"""Team recommendations (docs/analytics.md): public live teams with an open seat that I am
not in, scored by signals, each fired signal listed as a reason; best first, keyset-paged."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import activity_locations as locations_db
from milequest.db import team_recommendations as recommendations_db
from milequest.db.read_connection import read
from milequest.domain.paging import decode_cursor, page_of
from milequest.domain.teams import with_goal
from milequest.models.analytics import (
    Reason,
    Recommendation,
    RecommendedQuery,
    RecommendedTeam,
)
from milequest.models.base import Page

# Reasons in the order they are listed (the order of their weights).
_REASONS: tuple[tuple[str, Reason], ...] = (
    ("near_route", "NEAR_ROUTE"),
    ("teammates_there", "TEAMMATES_THERE"),
    ("similar_pace", "SIMILAR_PACE"),
    ("active_goal", "ACTIVE_GOAL"),
)
# How many of my latest located walks give the default `near`.
LOCATED_WALKS = 10


def recommended_teams(
    primary: Connection[Any], me: UUID, query: RecommendedQuery
) -> Page[Recommendation]:
    """Read from the replica when there is one (a team that filled up a second ago may still
    be offered; joining it answers TEAM_FULL, as it would after any race)."""
    return read(primary, lambda conn: _recommended(conn, me, query))


def _recommended(conn: Connection[Any], me: UUID, query: RecommendedQuery) -> Page[Recommendation]:
    near = query.near_point or locations_db.recent_centroid(conn, me, LOCATED_WALKS)
    after = (
        decode_cursor(query.cursor, recommendations_db.Position)  # type: ignore[arg-type]
        if query.cursor
        else None
    )
    rows = recommendations_db.recommended(conn, me, near, query.limit + 1, after)
    items, cursor = page_of(
        rows,
        query.limit,
        lambda r: (r.score, r.member_count, r.sort_name, r.id),
    )
    return Page[Recommendation](
        items=[_recommendation(r) for r in items], next_cursor=cursor, has_more=cursor is not None
    )


def _recommendation(row: recommendations_db.RecommendationRow) -> Recommendation:
    return Recommendation(
        team=RecommendedTeam.model_validate(with_goal(row)),
        score=row.score,
        reasons=[reason for column, reason in _REASONS if getattr(row, column)],
    )
