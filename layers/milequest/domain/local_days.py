"""A user's local days (docs/domain.md#streaks): the timezone they are counted in, today there,
and whether the stored streak is still current.

Apart from the activity reads: team analytics, the leaderboards and the profile need only these,
and milequest.domain.activity_reads would build the activity models into their cold start."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from milequest.db import user_stats as stats_db


def timezone_of(conn: Connection[Any], user_id: UUID) -> str:
    stats = stats_db.get(conn, user_id)
    return stats.timezone if stats else "UTC"


def local_today(tz: str) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(tz)).date()


def current_streak(stats: stats_db.StatsRow) -> int:
    """The stored streak ends at the last active local day; it is current only if that day is
    today or yesterday in the user's timezone."""
    last = stats.last_activity_date
    if last is None or last < local_today(stats.timezone) - timedelta(days=1):
        return 0
    return stats.current_streak
