"""Team analytics and team recommendations (docs/analytics.md): read from the replica when
one is configured (the domain functions choose the connection)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from milequest.api.request import Request
from milequest.api.routing import Router
from milequest.models.analytics import (
    AnalyticsQuery,
    Recommendation,
    RecommendedQuery,
    TeamAnalytics,
)
from milequest.models.base import Page

router = Router()


# A literal path: API Gateway and the local server both prefer it to /teams/{teamId}.
@router.get("/teams/recommended", "Public teams with open seats I may like, best first")
def recommended_teams(req: Request, query: RecommendedQuery) -> Page[Recommendation]:
    # Imported here: the scoring and its queries are no other team route's cold start.
    from milequest.domain import recommendations

    return recommendations.recommended_teams(req.conn, req.me, query)


@router.get(
    "/teams/{teamId}/analytics",
    "Members: weekly series, trend, top contributors and the active goal's forecast",
    profile="heavy",
)
def get_team_analytics(req: Request, team_id: UUID, query: AnalyticsQuery) -> TeamAnalytics:
    # Imported here: the goal forecast and progress it pulls are no other team route's cold start.
    from milequest.domain import team_analytics

    return team_analytics.team_analytics(req.conn, team_id, req.me, query.weeks, datetime.now(UTC))
