"""Wire models for goals, routes and progress (docs/api.md#goals). Distances are metres."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import Field, field_validator, model_validator

from milequest.models.base import ApiModel, FiniteFloat, InputModel, QueryModel

MAX_WAYPOINTS = 20
GoalStatus = Literal["DRAFT", "ACTIVE", "COMPLETED", "FAILED", "CANCELLED"]


class Location(InputModel):
    lat: FiniteFloat = Field(ge=-90, le=90)
    lng: FiniteFloat = Field(ge=-180, le=180)
    address: str | None = Field(default=None, max_length=300)


class LocationOut(ApiModel):
    lat: float
    lng: float
    address: str | None = None


class RouteRequest(InputModel):
    start_location: Location
    end_location: Location
    waypoints: list[Location] = Field(default_factory=list, max_length=MAX_WAYPOINTS)


class CreateGoal(RouteRequest):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    start_date: datetime | None = None
    end_date: datetime
    target_distance: FiniteFloat | None = Field(default=None, gt=0, le=50_000_000)
    status: Literal["DRAFT", "ACTIVE"] = "DRAFT"

    @field_validator("start_date", "end_date")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("must include a timezone offset")
        return value


class UpdateGoal(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    start_location: Location | None = None
    end_location: Location | None = None
    waypoints: list[Location] | None = Field(default=None, max_length=MAX_WAYPOINTS)
    start_date: datetime | None = None
    end_date: datetime | None = None
    target_distance: FiniteFloat | None = Field(default=None, gt=0, le=50_000_000)
    status: GoalStatus | None = None

    @field_validator("start_date", "end_date")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("must include a timezone offset")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> UpdateGoal:
        if not self.model_fields_set:
            raise ValueError("nothing to update")
        return self


class SegmentOut(ApiModel):
    distance: float
    cumulative_distance: float


class Bounds(ApiModel):
    north: float
    south: float
    east: float
    west: float


class RoutePreview(ApiModel):
    total_distance: float
    encoded_polyline: str
    bounds: Bounds
    segments: list[SegmentOut]


class RouteOut(ApiModel):
    encoded_polyline: str
    bounds: Bounds
    segments: list[SegmentOut]


class Position(ApiModel):
    lat: float
    lng: float


Trend = Literal["increasing", "stable", "decreasing"]


class GoalProgress(ApiModel):
    total_distance: float
    target_distance: float
    percent_complete: float
    remaining_distance: float
    current_segment_index: int
    distance_to_next_waypoint: float
    current_position: Position
    average_daily_distance: float
    required_daily_distance: float
    projected_completion_date: date | None
    days_remaining: int
    on_track: bool
    last_activity_at: datetime | None
    total_activities: int = 0
    trend: Trend = "stable"


class Goal(ApiModel):
    id: UUID
    team_id: UUID
    name: str
    description: str | None
    status: GoalStatus
    start_location: LocationOut
    end_location: LocationOut
    waypoints: list[LocationOut]
    target_distance: float
    start_date: datetime
    end_date: datetime
    completed_at: datetime | None
    route: RouteOut
    progress: GoalProgress | None = None
    created_at: datetime
    updated_at: datetime


class GoalSummary(ApiModel):
    """List item: the goal without its route geometry."""

    id: UUID
    team_id: UUID
    name: str
    description: str | None
    status: GoalStatus
    target_distance: float
    start_date: datetime
    end_date: datetime
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DailyQuery(QueryModel):
    days: int = Field(default=7, ge=1, le=90)


class DailyPoint(ApiModel):
    date: date
    distance: float
    activities: int
    active_members: int


class GoalDeleted(ApiModel):
    id: UUID
    deleted: bool = True
