"""Wire models for goals, routes and progress (docs/api.md#goals). Distances are metres."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from milequest.models.base import ApiModel, FiniteFloat, InputModel, QueryModel
from milequest.models.forecast import Forecast, Trend

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


class Point(InputModel):
    lat: FiniteFloat = Field(ge=-90, le=90)
    lng: FiniteFloat = Field(ge=-180, le=180)


class ClientWaypoint(InputModel):
    """The web client's waypoint: `{id, position: {lat, lng}, address, order, isLocked}`."""

    id: str | int | None = None
    position: Point
    address: str | None = Field(default=None, max_length=300)
    order: int | None = Field(default=None, ge=0, le=10_000)
    is_locked: bool | None = None


def _waypoints_in(value: Any) -> Any:
    """Both waypoint shapes become `{lat, lng, address}`, in `order` when every one has it."""
    if not isinstance(value, list) or not any(
        isinstance(w, dict) and "position" in w for w in value
    ):
        return value
    parsed = [ClientWaypoint.model_validate(w) for w in value]
    if all(w.order is not None for w in parsed):
        parsed.sort(key=lambda w: w.order or 0)
    return [{"lat": w.position.lat, "lng": w.position.lng, "address": w.address} for w in parsed]


def _same_place(a: Location, b: Location) -> bool:
    return (a.lat, a.lng) == (b.lat, b.lng)


def _aware(value: date | datetime | None) -> date | datetime | None:
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError("must include a timezone offset")
    return value


# Dates and times on goals: a time without an offset is ambiguous, so it is refused.
_AWARE = AfterValidator(_aware)


def _end_of(value: date | datetime) -> datetime:
    """A `targetDate` given as a day ends at the end of that day (UTC)."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(23, 59, 59), tzinfo=UTC)


class RouteRequest(InputModel):
    start_location: Location
    end_location: Location
    waypoints: Annotated[list[Location], BeforeValidator(_waypoints_in)] = Field(
        default_factory=list, max_length=MAX_WAYPOINTS
    )

    @model_validator(mode="after")
    def _without_the_ends(self) -> Self:
        # The web client lists the start and end among its waypoints: they are not stops.
        self.waypoints = [
            w
            for w in self.waypoints
            if not (_same_place(w, self.start_location) or _same_place(w, self.end_location))
        ]
        return self


class CreateGoal(RouteRequest):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    start_date: Annotated[datetime | None, _AWARE] = None
    # none: the goal has no deadline and never expires
    end_date: Annotated[datetime | None, _AWARE] = None
    target_date: Annotated[date | datetime | None, _AWARE] = Field(
        default=None, description="alias of endDate"
    )
    target_distance: FiniteFloat | None = Field(default=None, gt=0, le=50_000_000)
    status: Literal["DRAFT", "ACTIVE"] = "ACTIVE"

    @model_validator(mode="after")
    def _target_date(self) -> CreateGoal:
        if self.target_date is not None:
            if self.end_date is not None:
                raise ValueError("give endDate or targetDate, not both")
            self.end_date = _end_of(self.target_date)
        return self


class UpdateGoal(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    start_location: Location | None = None
    end_location: Location | None = None
    waypoints: Annotated[list[Location] | None, BeforeValidator(_waypoints_in)] = Field(
        default=None, max_length=MAX_WAYPOINTS
    )
    start_date: Annotated[datetime | None, _AWARE] = None
    end_date: Annotated[datetime | None, _AWARE] = None
    target_date: Annotated[date | datetime | None, _AWARE] = Field(
        default=None, description="alias of endDate"
    )
    target_distance: FiniteFloat | None = Field(default=None, gt=0, le=50_000_000)
    status: GoalStatus | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> UpdateGoal:
        if not self.model_fields_set:
            raise ValueError("nothing to update")
        if self.target_date is not None:
            if "end_date" in self.model_fields_set:
                raise ValueError("give endDate or targetDate, not both")
            self.end_date = _end_of(self.target_date)
            self.model_fields_set.add("end_date")
        self.model_fields_set.discard("target_date")
        if self.waypoints:
            ends = [p for p in (self.start_location, self.end_location) if p is not None]
            self.waypoints = [w for w in self.waypoints if not any(_same_place(w, e) for e in ends)]
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


class GoalProgress(ApiModel):
    total_distance: float
    target_distance: float
    percent_complete: float
    remaining_distance: float
    current_segment_index: int
    distance_to_next_waypoint: float
    current_position: Position
    average_daily_distance: float
    # null for a goal without a deadline
    required_daily_distance: float | None
    projected_completion_date: date | None
    days_remaining: int | None
    on_track: bool | None
    last_activity_at: datetime | None
    total_activities: int = 0
    trend: Trend = "stable"
    forecast: Forecast | None = None


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
    end_date: datetime | None
    completed_at: datetime | None
    route: RouteOut
    progress: GoalProgress | None = None
    created_at: datetime
    updated_at: datetime
    # The web client's names: its cards read these (docs/api.md#goals).
    target_date: datetime | None = None  # = endDate
    total_distance: float = 0.0  # = targetDistance (the route's length unless given)
    current_distance: float = 0.0  # the team's distance so far


class GoalSummary(ApiModel):
    """List item: the goal without its route geometry."""

    id: UUID
    team_id: UUID
    name: str
    description: str | None
    status: GoalStatus
    target_distance: float
    start_date: datetime
    end_date: datetime | None
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
