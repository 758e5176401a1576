"""Team analytics (docs/analytics.md): weekly series in the requester's timezone, trend,
week-on-week change, top contributors and the active goal's outlook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from milequest.db import analytics as analytics_db
from milequest.db import goals as goals_db
from milequest.db.read_connection import read
from milequest.domain import access
from milequest.domain.goal_forecast import goal_forecast
from milequest.domain.goal_progress import required_daily_distance
from milequest.domain.local_days import timezone_of
from milequest.models.analytics import Contributor, GoalOutlook, TeamAnalytics, WeekPoint
from milequest.models.forecast import Trend

TOP_CONTRIBUTORS = 5
# A slope within ±5 % of the mean weekly distance per week is "stable".
STABLE_SLOPE = 0.05


def team_analytics(
    primary: Connection[Any], team_id: UUID, me: UUID, weeks: int, now: datetime
) -> TeamAnalytics:
    """Membership is checked on the primary (a replica a few seconds behind must not refuse
    someone who just joined); the figures are read from the replica when there is one."""
    access.require_member(primary, team_id, me)
    return read(primary, lambda conn: _figures(conn, team_id, me, weeks, now))


def _figures(
    conn: Connection[Any], team_id: UUID, me: UUID, weeks: int, now: datetime
) -> TeamAnalytics:
    tz = timezone_of(conn, me)
    # First, so that the goal's forecast simulates while the series below are read.
    outlook = _outlook(conn, team_id, now)
    today = now.astimezone(ZoneInfo(tz)).date()
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    rows, top = analytics_db.weekly_and_top(conn, team_id, tz, first, weeks, now, TOP_CONTRIBUTORS)
    series = [
        WeekPoint(
            start_date=r.start_date,
            distance=float(r.distance),
            activities=r.activities,
            active_members=r.active_members,
            participation_rate=round(r.active_members / r.members, 3) if r.members else 0.0,
        )
        for r in rows
    ]
    full = [p.distance for p in series[:-1]]  # the current week is partial
    return TeamAnalytics(
        weekly=series,
        trend=trend(full),
        change_percent=change_percent(full),
        top_contributors=[
            Contributor(user_id=c.user_id, name=c.name, distance=float(c.distance)) for c in top
        ],
        goal=outlook(),
    )


def trend(weekly: Sequence[float]) -> Trend:
    """Least-squares slope of the weekly distances against the mean (stable within ±5 %)."""
    n = len(weekly)
    mean = sum(weekly) / n if n else 0.0
    if n < 2 or mean <= 0:
        return "stable"
    x_mean = (n - 1) / 2
    slope = sum((i - x_mean) * (y - mean) for i, y in enumerate(weekly)) / sum(
        (i - x_mean) ** 2 for i in range(n)
    )
    if slope > STABLE_SLOPE * mean:
        return "increasing"
    if slope < -STABLE_SLOPE * mean:
        return "decreasing"
    return "stable"


def change_percent(weekly: Sequence[float]) -> float | None:
    """Last full week against the one before; null when there is none or it was 0."""
    if len(weekly) < 2 or weekly[-2] == 0:
        return None
    return round((weekly[-1] - weekly[-2]) / weekly[-2] * 100, 1)


def _outlook(
    conn: Connection[Any], team_id: UUID, now: datetime
) -> Callable[[], GoalOutlook | None]:
    """The active goal's forecast and required daily distance, as its /progress has them (the
    rest of the progress, its trailing pace and its position on the route, is not read). The
    forecast is under way on return: calling the result waits for it."""
    row = goals_db.active_for_team(conn, team_id)
    if row is None:
        return lambda: None
    pending = goal_forecast(conn, row, now)
    return lambda: GoalOutlook(
        id=row.id,
        forecast=pending.result(),
        required_daily_distance=required_daily_distance(row, now=now),
    )
