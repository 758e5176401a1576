"""Leaderboards on the wire (docs/leaderboards.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from milequest.models.base import ApiModel, QueryModel

TeamPeriod = Literal["week", "month", "all", "goal"]
PublicPeriod = Literal["week", "month", "all"]
Metric = Literal["total", "average"]


class TeamBoardQuery(QueryModel):
    period: TeamPeriod = "week"
    goal_id: UUID | None = Field(default=None, description="with period=goal; default the active")
    limit: int = Field(default=20, ge=1, le=50)


class TeamRankQuery(QueryModel):
    period: TeamPeriod = "week"
    goal_id: UUID | None = None


class PublicBoardQuery(QueryModel):
    period: PublicPeriod = "week"
    limit: int = Field(default=20, ge=1, le=50)


class TeamsBoardQuery(PublicBoardQuery):
    metric: Metric = "total"


class LeaderboardEntry(ApiModel):
    rank: int
    user_id: UUID
    name: str
    avatar_url: str | None
    distance: float = Field(description="metres")
    activities: int


class TeamLeaderboard(ApiModel):
    period: TeamPeriod
    goal_id: UUID | None = None
    start_date: datetime | None = Field(description="the window's start (null for all)")
    end_date: datetime | None = Field(description="the window's exclusive end (null for all)")
    total_participants: int
    entries: list[LeaderboardEntry]


class LeaderboardRank(ApiModel):
    period: TeamPeriod
    rank: int
    total_participants: int
    distance: float
    distance_to_next_rank: float | None = Field(description="metres to the rank above; null at 1")
    lead_over_next_rank: float | None = Field(description="metres over the rank below; null last")


class GlobalLeaderboard(ApiModel):
    period: PublicPeriod
    as_of: datetime = Field(description="when the board was last refreshed")
    entries: list[LeaderboardEntry]


class TeamsLeaderboardEntry(ApiModel):
    rank: int
    team_id: UUID
    name: str
    avatar_url: str | None
    member_count: int
    active_members: int = Field(description="members who walked in the period")
    total_distance: float
    average_distance: float = Field(description="per active member")
    activities: int


class TeamsLeaderboard(ApiModel):
    period: PublicPeriod
    metric: Metric
    as_of: datetime
    entries: list[TeamsLeaderboardEntry]
