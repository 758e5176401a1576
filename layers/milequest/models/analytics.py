"""Wire models of team analytics and team recommendations (docs/api.md, docs/analytics.md)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import Field

from milequest.models.base import ApiModel, QueryModel
from milequest.models.forecast import Forecast, Trend
from milequest.models.teams import GoalSummary, NearQuery

Reason = Literal["NEAR_ROUTE", "SIMILAR_PACE", "TEAMMATES_THERE", "ACTIVE_GOAL"]


class AnalyticsQuery(QueryModel):
    weeks: int = Field(default=12, ge=1, le=52)


class WeekPoint(ApiModel):
    start_date: date  # the Monday of the ISO week, in the requester's timezone
    distance: float
    activities: int
    active_members: int
    participation_rate: float  # active members / members during the week, 0..1


class Contributor(ApiModel):
    user_id: UUID
    name: str
    distance: float


class GoalOutlook(ApiModel):
    id: UUID
    forecast: Forecast | None
    required_daily_distance: float | None  # null for a goal without an end date


class TeamAnalytics(ApiModel):
    weekly: list[WeekPoint]
    trend: Trend
    change_percent: float | None
    top_contributors: list[Contributor]
    goal: GoalOutlook | None


class RecommendedQuery(NearQuery):
    limit: int = Field(default=10, ge=1, le=50)
    cursor: str | None = None


class RecommendedTeam(ApiModel):
    id: UUID
    name: str
    description: str | None
    avatar_url: str | None
    member_count: int
    active_goal: GoalSummary | None


class Recommendation(ApiModel):
    team: RecommendedTeam
    score: int
    reasons: list[Reason]
