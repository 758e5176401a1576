"""Wire models of the Activities area (docs/api.md#activities; /users/me/stats and friends)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, Field, field_validator, model_validator

from milequest.models.base import ApiModel, FiniteFloat, InputModel, PageQuery, QueryModel

Source = Literal["MANUAL", "STRAVA", "APPLE_HEALTH", "GOOGLE_FIT"]
Period = Literal["daily", "weekly", "monthly"]

MAX_DISTANCE = 200_000.0  # metres
MAX_DURATION = 86_400  # seconds
MIN_PACE = 120.0  # seconds per km: faster than 2 min/km sustained is not walking (or running)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(minutes=5)
EMOJI = ("👍", "❤️", "🔥", "👏", "💪", "🎉")


def _check_timestamp(value: datetime) -> datetime:
    if value < EARLIEST:
        raise ValueError("must not be before 2000-01-01")
    if value > datetime.now(UTC) + FUTURE_SLACK:
        raise ValueError("must not be in the future")
    return value


MIN_DISTANCE = 0.001  # metres: the database keeps millimetres (numeric(9, 3))


def _resolvable(value: float) -> float:
    # Tiny positives (5e-324, subnormal) pass gt=0 but round to zero in the database and
    # make every pace computed from them meaningless.
    if value < MIN_DISTANCE:
        raise ValueError("must be at least 0.001 metres")
    return value


Distance = Annotated[float, Field(gt=0, le=MAX_DISTANCE), AfterValidator(_resolvable)]


def _check_pace(distance: float | None, duration: int | None) -> None:
    # Multiplied out rather than divided: a tiny distance must not divide by zero.
    if distance and duration and duration * 1000 < MIN_PACE * distance:
        raise ValueError("implausible pace: faster than 2 min/km")


class ActivityLocation(InputModel):
    """Where a walk happened: optional, private to its owner (docs/analytics.md)."""

    lat: FiniteFloat = Field(ge=-90, le=90)
    lng: FiniteFloat = Field(ge=-180, le=180)


class ActivityFields(InputModel):
    distance: Distance = Field(description="metres")
    duration: int = Field(gt=0, le=MAX_DURATION, description="seconds")
    timestamp: AwareDatetime
    notes: str | None = Field(default=None, max_length=500)
    is_private: bool = False
    location: ActivityLocation | None = None

    _ts = field_validator("timestamp")(_check_timestamp)


class CreateActivity(ActivityFields):
    source: Source = "MANUAL"
    external_id: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _plausible(self) -> CreateActivity:
        _check_pace(self.distance, self.duration)
        return self


class UpdateActivity(InputModel):
    """PATCH (and PUT): any create field but `source`; only the fields present change."""

    distance: Distance | None = None
    duration: int | None = Field(default=None, gt=0, le=MAX_DURATION)
    timestamp: AwareDatetime | None = None
    notes: str | None = Field(default=None, max_length=500)
    is_private: bool | None = None
    external_id: str | None = Field(default=None, min_length=1, max_length=200)
    # null removes the location
    location: ActivityLocation | None = None

    @field_validator("timestamp")
    @classmethod
    def _ts(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _check_timestamp(value)

    @model_validator(mode="after")
    def _not_empty(self) -> UpdateActivity:
        if not self.model_fields_set:
            raise ValueError("at least one field is required")
        for name in ("distance", "duration", "timestamp", "is_private"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class ActivityListQuery(PageQuery):
    start_date: AwareDatetime | date | None = None
    end_date: AwareDatetime | date | None = None
    team_id: UUID | None = None


MAX_PERIODS = 366


class SummaryQuery(QueryModel):
    """Which periods: those from `startDate`'s to `endDate`'s (local dates, default today),
    the newest `limit` of them; without `startDate`, `limit` (or `count`) periods up to
    `endDate`."""

    period: Period = "daily"
    count: int = Field(
        default=0, ge=0, le=MAX_PERIODS, description="periods to return (0 = default)"
    )
    start_date: date | None = None
    end_date: date | None = None
    limit: int | None = Field(default=None, ge=1, le=MAX_PERIODS)

    @model_validator(mode="after")
    def _ordered(self) -> SummaryQuery:
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValueError("startDate must not be after endDate")
        return self


class CommentIn(InputModel):
    text: str = Field(min_length=1, max_length=500)


class Activity(ApiModel):
    id: UUID
    user_id: UUID
    distance: float
    duration: int
    pace: float
    timestamp: datetime
    notes: str | None
    is_private: bool
    source: Source
    external_id: str | None
    created_at: datetime
    updated_at: datetime
    # The owner's own reads only (milequest.domain.activity_locations); null for anyone else.
    location: ActivityLocation | None = None


class TeamUpdate(ApiModel):
    team_id: UUID
    goal_id: UUID
    new_total_distance: float
    new_percent_complete: float


class Achievement(ApiModel):
    """An entry of the achievement catalog, as every achievement payload shows it."""

    id: UUID
    key: str
    name: str
    description: str
    icon: str
    category: str


class EarnedAchievement(Achievement):
    earned_at: datetime


class ActivityWritten(ApiModel):
    activity: Activity
    team_updates: list[TeamUpdate]
    achievements_earned: list[EarnedAchievement] = []


class ActivityDeleted(ApiModel):
    deleted: bool = True
    team_updates: list[TeamUpdate]


class PeriodSummary(ApiModel):
    start_date: date
    end_date: date
    total_distance: float
    total_duration: int
    total_activities: int
    active_days: int


class Summaries(ApiModel):
    period: Period
    summaries: list[PeriodSummary]


class Streak(ApiModel):
    current_streak: int
    longest_streak: int
    last_activity_date: date | None


class PeriodTotals(ApiModel):
    distance: float
    activities: int


class BestDay(ApiModel):
    date: date
    distance: float


class UserStats(ApiModel):
    total_distance: float
    total_duration: int
    total_activities: int
    average_distance: float  # metres per activity; 0 before the first one
    average_pace: float | None
    current_streak: int
    longest_streak: int
    last_activity_at: datetime | None
    this_week: PeriodTotals
    this_month: PeriodTotals
    best_day: BestDay | None


class Comment(ApiModel):
    id: UUID
    activity_id: UUID
    user_id: UUID
    author_name: str
    text: str
    created_at: datetime


class Reaction(ApiModel):
    activity_id: UUID
    emoji: str
    count: int
    reacted: bool


class CatalogAchievement(Achievement):
    criteria: dict[str, object]
