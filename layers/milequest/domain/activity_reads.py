"""Reading activities and the user's aggregates, in the user's own timezone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from milequest.db import activities as activities_db
from milequest.db import user_daily as daily_db
from milequest.db import user_stats as stats_db
from milequest.db.activities import ActivityRow
from milequest.domain import activity_locations, paging
from milequest.domain.errors import NotFound, ValidationFailed
from milequest.domain.local_days import current_streak, local_today, timezone_of
from milequest.models.activities import (
    MAX_PERIODS,
    Activity,
    ActivityListQuery,
    ActivityLocation,
    BestDay,
    Period,
    PeriodSummary,
    PeriodTotals,
    Streak,
    Summaries,
    SummaryQuery,
    UserStats,
)
from milequest.models.base import Page

DEFAULT_PERIODS = {"daily": 7, "weekly": 8, "monthly": 6}


# The activity's wire shape lives with the reads, not the write path: the read-only areas
# (dashboard, leaderboards) import this module, and importing activity_log would pull the
# write path (achievements, notifications, their translations) into their cold start.
def to_model(row: ActivityRow, location: ActivityLocation | None = None) -> Activity:
    return Activity(
        id=row.id,
        user_id=row.user_id,
        distance=float(row.distance),
        duration=row.duration,
        pace=float(row.pace),
        timestamp=row.activity_at,
        notes=row.notes,
        is_private=row.is_private,
        source=row.source,
        external_id=row.external_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        location=location,
    )


def _bound(value: datetime | date | None, tz: ZoneInfo, *, end: bool) -> datetime | None:
    """Dates are local days: a start date from its local midnight, an end date through its end."""
    if value is None or isinstance(value, datetime):
        return value
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time(), tzinfo=tz)


def list_own(
    conn: Connection[Any],
    user_id: UUID,
    q: ActivityListQuery,
) -> Page[Activity]:
    """My activities, newest first, keyset-paged on (timestamp, id)."""
    tz = ZoneInfo(timezone_of(conn, user_id))
    after, fetch = paging.window(q)
    rows = activities_db.list_own(
        conn,
        user_id,
        fetch,
        after,
        _bound(q.start_date, tz, end=False),
        _bound(q.end_date, tz, end=True),
        q.team_id,
    )
    own = activity_locations.for_owner(conn, user_id, [to_model(r) for r in rows])
    return paging.page(own, q, lambda a: (a.timestamp, a.id))


def get_visible(conn: Connection[Any], user_id: UUID, activity_id: UUID) -> Activity:
    """Own activities; a teammate's non-private ones. Anything else does not exist (404)."""
    row = activities_db.get(conn, activity_id)
    if row is None:
        raise NotFound("Activity not found")
    if row.user_id != user_id and (
        row.is_private or not activities_db.shares_live_team(conn, user_id, row.user_id)
    ):
        raise NotFound("Activity not found")
    return activity_locations.one_for_owner(conn, user_id, to_model(row))


def _period_start(day: date, period: Period) -> date:
    if period == "weekly":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if period == "monthly":
        return day.replace(day=1)
    return day


def _next_start(start: date, period: Period) -> date:
    if period == "weekly":
        return start + timedelta(days=7)
    if period == "monthly":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def _previous_start(start: date, period: Period) -> date:
    if period == "monthly":
        return (start - timedelta(days=1)).replace(day=1)
    return start - timedelta(days=7 if period == "weekly" else 1)


def _period_starts(q: SummaryQuery, today: date) -> list[date]:
    """The starts of the asked periods, oldest first; every period of the window, empty or
    not, so a chart of the answer has no gaps."""
    period = q.period
    starts = [_period_start(q.end_date or today, period)]
    first = _period_start(q.start_date, period) if q.start_date else None
    wanted = q.limit or (MAX_PERIODS if first else q.count or DEFAULT_PERIODS[period])
    while len(starts) < wanted:
        previous = _previous_start(starts[-1], period)
        if first is not None and previous < first:
            break
        starts.append(previous)
    if first is not None and q.limit is None and starts[-1] > first:
        raise ValidationFailed(
            "Window too long",
            [{"field": "startDate", "message": f"at most {MAX_PERIODS} periods"}],
        )
    return starts[::-1]


def summary(conn: Connection[Any], user_id: UUID, q: SummaryQuery) -> Summaries:
    period = q.period
    tz = timezone_of(conn, user_id)
    zone = ZoneInfo(tz)
    starts = _period_starts(q, local_today(tz))
    first, last_end = starts[0], _next_start(starts[-1], period)
    days = activities_db.daily_totals(
        conn,
        user_id,
        tz,
        datetime.combine(first, time(), tzinfo=zone),
        datetime.combine(last_end, time(), tzinfo=zone),
    )
    out = []
    for start in starts:
        end = _next_start(start, period)
        inside = [d for d in days if start <= d.day < end]
        out.append(
            PeriodSummary(
                start_date=start,
                end_date=end - timedelta(days=1),
                total_distance=float(sum(d.distance for d in inside)),
                total_duration=sum(d.duration for d in inside),
                total_activities=sum(d.activities for d in inside),
                active_days=len(inside),
            )
        )
    return Summaries(period=period, summaries=out)


def streak(conn: Connection[Any], user_id: UUID) -> Streak:
    stats = stats_db.get(conn, user_id)
    if stats is None:
        return Streak(current_streak=0, longest_streak=0, last_activity_date=None)
    return Streak(
        current_streak=current_streak(stats),
        longest_streak=stats.longest_streak,
        last_activity_date=stats.last_activity_date,
    )


def user_stats(conn: Connection[Any], user_id: UUID) -> UserStats:
    stats = stats_db.get(conn, user_id)
    if stats is None:
        raise NotFound("User not found")
    # From the maintained daily totals, so the cost does not grow with the history.
    today = local_today(stats.timezone)
    week, month = _period_start(today, "weekly"), _period_start(today, "monthly")
    days = daily_db.periods(conn, user_id, week, month, today)
    distance = float(stats.total_distance)
    return UserStats(
        total_distance=distance,
        total_duration=stats.total_duration,
        total_activities=stats.total_activities,
        average_distance=round(distance / stats.total_activities, 3)
        if stats.total_activities
        else 0.0,
        average_pace=round(stats.total_duration / (distance / 1000), 2) if distance else None,
        current_streak=current_streak(stats),
        longest_streak=stats.longest_streak,
        last_activity_at=stats.last_activity_at,
        this_week=PeriodTotals(distance=float(days.week_distance), activities=days.week_activities),
        this_month=PeriodTotals(
            distance=float(days.month_distance), activities=days.month_activities
        ),
        best_day=BestDay(date=days.best_day, distance=float(days.best_distance))
        if days.best_day is not None and days.best_distance is not None
        else None,
    )
