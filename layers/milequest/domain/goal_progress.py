"""Progress along a goal's route (docs/domain.md#progress): pure functions, no database.

Distances are metres. When the target distance differs from the route length, the team's
progress maps proportionally onto the route: at 100 % of the target the team is at the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from milequest.domain.percent import percent_complete

if TYPE_CHECKING:  # imported where used: shares use only the route geometry, the dashboard none
    from milequest.geo import LatLng
    from milequest.models.forecast import Trend
    from milequest.models.goals import GoalProgress

TRAILING_DAYS = 14
DAY_SECONDS = 86_400.0


@dataclass(frozen=True)
class RoutePosition:
    segment_index: int
    distance_to_next_waypoint: float  # metres along the route
    position: LatLng


def route_points(route_data: dict[str, Any]) -> list[LatLng]:
    # The geometry is imported where a position is computed: the dashboard's cards show the
    # route-free figures only, and its cold start does not load the route types.
    from milequest.geo import LatLng

    return [LatLng(float(p["lat"]), float(p["lng"])) for p in route_data.get("waypoints", [])]


def segment_lengths(route_data: dict[str, Any]) -> list[float]:
    return [float(s["distance"]) for s in route_data.get("segments", [])]


def position_along(points: list[LatLng], lengths: list[float], along: float) -> RoutePosition:
    """Where `along` metres into the route lies: the segment being walked (a point exactly on
    a waypoint starts the next segment), the distance left to its end, and the point itself,
    interpolated on the geodesic between the segment's waypoints (end point at/after 100 %)."""
    from milequest.geo.great_circle import leg_distance, point_along

    total = sum(lengths)
    if not lengths or along >= total:
        return RoutePosition(max(len(lengths) - 1, 0), 0.0, points[-1])
    along = max(along, 0.0)
    start = 0.0
    for i, length in enumerate(lengths):
        end = start + length
        if along < end:
            into = along - start
            a, b = points[i], points[i + 1]
            # Providers that follow roads report longer legs than the geodesic: interpolate by
            # the fraction of the leg walked (exact distance for great-circle legs).
            geodesic = leg_distance(a, b)
            fraction = into / length if length > 0 else 1.0
            return RoutePosition(i, end - along, point_along(a, b, geodesic * fraction))
        start = end
    return RoutePosition(len(lengths) - 1, 0.0, points[-1])  # pragma: no cover (float edge)


def trend(last_week: float | None, last_two_weeks: float) -> Trend:
    """Last 7 days against the 7 before them; within ±10 % is stable."""
    if last_week is None:
        return "stable"
    previous = max(last_two_weeks - last_week, 0.0)
    if last_week > previous * 1.1:
        return "increasing"
    if last_week < previous * 0.9:
        return "decreasing"
    return "stable"


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / DAY_SECONDS


@dataclass(frozen=True)
class Standing:
    """The figures of a goal's progress that do not depend on its route: all the dashboard's
    card shows, without locating the team on the route (a geodesic computation)."""

    total_distance: float
    target_distance: float
    done: bool
    percent_complete: float
    remaining_distance: float
    average_daily_distance: float
    required_daily_distance: float | None
    projected_completion_date: date | None
    days_remaining: int | None
    on_track: bool | None


def standing(
    *,
    total_distance: float,
    target_distance: float,
    start_date: datetime,
    end_date: datetime | None,
    now: datetime,
    trailing_distance: float,
    last_activity_at: datetime | None,
) -> Standing:
    """`trailing_distance` = distance counted in the last 14 days (the projection's pace)."""
    total_distance = max(total_distance, 0.0)
    target = max(target_distance, 0.0)
    done = target <= 0 or total_distance >= target
    remaining = 0.0 if done else target - total_distance

    elapsed = _days((now if end_date is None else min(now, end_date)) - start_date)
    average = total_distance / max(elapsed, 1.0) if elapsed > 0 else 0.0
    # Without a deadline nothing is required by a date, and nothing is late.
    left = None if end_date is None else _days(end_date - now)
    days_remaining = None if left is None else max(0, math.ceil(left))
    required = None if left is None else 0.0 if done else remaining / max(left, 1.0)

    window = min(float(TRAILING_DAYS), max(_days(now - start_date), 1.0))
    pace = max(trailing_distance, 0.0) / window
    projected: date | None
    if done:
        projected = (last_activity_at or now).date()
    elif pace > 0 and remaining / pace < 36_500:  # beyond a century there is no projection
        projected = (now + timedelta(days=remaining / pace)).date()
    else:
        projected = None
    on_track = (
        None
        if end_date is None
        else done
        or (
            now <= end_date
            and projected is not None
            and now + timedelta(days=remaining / pace) <= end_date
        )
    )
    return Standing(
        total_distance=total_distance,
        target_distance=target,
        done=done,
        percent_complete=percent_complete(total_distance, target),
        remaining_distance=remaining,
        average_daily_distance=average,
        required_daily_distance=required,
        projected_completion_date=projected,
        days_remaining=days_remaining,
        on_track=on_track,
    )


def compute_progress(
    *,
    total_distance: float,
    target_distance: float,
    route_data: dict[str, Any],
    start_date: datetime,
    end_date: datetime | None,
    now: datetime,
    trailing_distance: float,
    last_activity_at: datetime | None,
    total_activities: int = 0,
    last_week_distance: float | None = None,
) -> GoalProgress:
    """`trailing_distance` = distance counted in the last 14 days (the projection's pace);
    `last_week_distance` = the last 7 of them (the trend compares them with the 7 before)."""
    s = standing(
        total_distance=total_distance,
        target_distance=target_distance,
        start_date=start_date,
        end_date=end_date,
        now=now,
        trailing_distance=trailing_distance,
        last_activity_at=last_activity_at,
    )
    lengths = segment_lengths(route_data)
    route_length = sum(lengths)
    scale = route_length / s.target_distance if s.target_distance > 0 else 1.0
    along = route_length if s.done else s.total_distance * scale
    where = position_along(route_points(route_data), lengths, along)
    to_next = where.distance_to_next_waypoint / scale if scale > 0 else 0.0
    required = s.required_daily_distance
    # Imported here: the shares area uses this module's route geometry only, and importing the
    # goal models at the top would build them at its every cold start.
    from milequest.models.goals import GoalProgress, Position

    return GoalProgress(
        trend=trend(last_week_distance, trailing_distance),
        total_distance=round(s.total_distance, 3),
        target_distance=round(s.target_distance, 3),
        percent_complete=s.percent_complete,
        remaining_distance=round(s.remaining_distance, 3),
        current_segment_index=where.segment_index,
        distance_to_next_waypoint=round(to_next, 3),
        current_position=Position(lat=where.position.lat, lng=where.position.lng),
        average_daily_distance=round(s.average_daily_distance, 3),
        required_daily_distance=None if required is None else round(required, 3),
        projected_completion_date=s.projected_completion_date,
        days_remaining=s.days_remaining,
        on_track=s.on_track,
        last_activity_at=last_activity_at,
        total_activities=total_activities,
    )


class StoredGoal(Protocol):
    """A goal's row with its maintained totals (db.goals.GoalRow, db.dashboard.CardGoal)."""

    @property
    def total_distance(self) -> Decimal: ...
    @property
    def target_distance(self) -> Decimal: ...
    @property
    def route_data(self) -> dict[str, Any]: ...
    @property
    def start_date(self) -> datetime: ...
    @property
    def end_date(self) -> datetime | None: ...
    @property
    def last_activity_at(self) -> datetime | None: ...
    @property
    def total_activities(self) -> int: ...


def stored_progress(
    goal: StoredGoal, *, now: datetime, trailing: Decimal, last_week: Decimal
) -> GoalProgress:
    """Progress of a stored goal: the one call every read of a goal's progress makes, so the
    dashboard's card and the goal routes agree. `trailing`/`last_week`: the distance counted
    in the last 14 and 7 days."""
    return compute_progress(
        total_distance=float(goal.total_distance),
        target_distance=float(goal.target_distance),
        route_data=goal.route_data,
        start_date=goal.start_date,
        end_date=goal.end_date,
        now=now,
        trailing_distance=float(trailing),
        last_activity_at=goal.last_activity_at,
        total_activities=goal.total_activities,
        last_week_distance=float(last_week),
    )


def stored_standing(goal: StoredGoal, *, now: datetime, trailing: Decimal) -> Standing:
    """`stored_progress`'s figures without the route position (the dashboard's card)."""
    return standing(
        total_distance=float(goal.total_distance),
        target_distance=float(goal.target_distance),
        start_date=goal.start_date,
        end_date=goal.end_date,
        now=now,
        trailing_distance=float(trailing),
        last_activity_at=goal.last_activity_at,
    )


def required_daily_distance(goal: StoredGoal, *, now: datetime) -> float | None:
    """The goal progress's `requiredDailyDistance`, rounded as there: what is left per day until
    the deadline (null without one). It does not depend on the pace, so no trailing distance
    is needed (team analytics read only this of the progress)."""
    required = stored_standing(goal, now=now, trailing=Decimal(0)).required_daily_distance
    return None if required is None else round(required, 3)
