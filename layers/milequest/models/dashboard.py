"""The dashboard on the wire (docs/dashboard.md): what the home screen reads in one call."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from milequest.models.activities import Activity, UserStats
from milequest.models.base import ApiModel
from milequest.models.forecast import Forecast
from milequest.models.leaderboards import LeaderboardEntry
from milequest.models.users import User


class DashboardBestDay(ApiModel):
    """Always an object, so the client never meets a null: `{date: null, distance: 0}` first."""

    date: dt.date | None = None
    distance: float = 0.0


class PersonalStats(UserStats):
    """/users/me/stats, except that `bestDay` is always an object."""

    best_day: DashboardBestDay  # type: ignore[assignment]


class GoalCard(ApiModel):
    goal_id: UUID
    goal_name: str
    status: str
    current_distance: float
    target_distance: float
    percent_complete: float
    days_remaining: int | None
    is_on_track: bool | None
    start_date: dt.datetime
    end_date: dt.datetime | None
    # The same forecast as the goal's /progress (docs/dashboard.md).
    forecast: Forecast | None


class MyRank(ApiModel):
    rank: int
    total_participants: int


class DashboardTeam(ApiModel):
    id: UUID
    name: str
    avatar_url: str | None
    member_count: int
    role: str
    progress: GoalCard | None
    my_rank: MyRank


class FeedActivity(Activity):
    user_name: str
    user_avatar_url: str | None


class DashboardBoard(ApiModel):
    team_id: UUID
    team_name: str
    period: Literal["week"] = "week"
    members: list[LeaderboardEntry]


class UnreadNotifications(ApiModel):
    unread_count: int


class Dashboard(ApiModel):
    user: User
    personal_stats: PersonalStats
    teams: list[DashboardTeam]
    recent_activities: list[FeedActivity]
    team_leaderboards: list[DashboardBoard]
    notifications: UnreadNotifications
