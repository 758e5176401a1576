"""The activity write path (docs/domain.md#activities): one transaction per write.

    lock user_stats row → write the activity (rate limit and replay checks in the same
    statement) → local-day totals → user totals and streak → achievements → team progress of
    every goal it counts for (milestones, completion), last before COMMIT

The team's progress row is the one many writers share, so it is taken last: it is held for its
own update and the COMMIT, not through the user's own bookkeeping. Edits and deletes are in
milequest.domain.activity_edit. Goals that are no longer ACTIVE are frozen: their progress is
history and is not moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import activities as activities_db
from milequest.db import user_daily as daily_db
from milequest.db import user_stats as stats_db
from milequest.db.activities import ActivityRow, NewActivity
from milequest.domain import activity_locations
from milequest.domain.achievements import ActivityFacts, award_for_activity
from milequest.domain.activity_reads import to_model
from milequest.domain.errors import RateLimited
from milequest.domain.goal_contributions import Contribution, move
from milequest.models.activities import (
    ActivityWritten,
    CreateActivity,
    EarnedAchievement,
)


def _streak_after_add(
    conn: Connection[Any], stats: stats_db.StatsRow, day: date
) -> stats_db.StreakState:
    """Incremental when the new day is at or after the last active day; else recompute (from
    the daily totals, which already count the new activity)."""
    last = stats.last_activity_date
    if last is None or day > last:
        current = stats.current_streak + 1 if last is not None and day == last + timedelta(1) else 1
        return stats_db.StreakState(current, max(stats.longest_streak, current), day)
    if day == last:
        return stats_db.StreakState(stats.current_streak, stats.longest_streak, last)
    return stats_db.streak_from_days(conn, stats.user_id)  # back-dated


def earned_by_write(
    conn: Connection[Any],
    row: ActivityRow,
    before: stats_db.StatsRow,
    after: stats_db.StatsRow,
) -> list[EarnedAchievement]:
    """Activity achievements this write earned the user (stats before and after it)."""
    facts = ActivityFacts(
        total_activities=after.total_activities,
        total_distance=float(after.total_distance),
        current_streak=after.current_streak,
        distance=float(row.distance),
        duration=row.duration,
        at=row.activity_at,
        timezone=after.timezone,
        previous_activities=before.total_activities,
        previous_distance=float(before.total_distance),
        previous_streak=before.current_streak,
    )
    return award_for_activity(conn, row.user_id, row.id, facts)


@dataclass(frozen=True)
class Logged:
    written: ActivityWritten
    created: bool  # False when an import was already there (deduplicated)


def log_activity(
    conn: Connection[Any], user_id: UUID, data: CreateActivity, rate_limit: int
) -> Logged:
    new = NewActivity(
        user_id,
        data.distance,
        data.duration,
        data.timestamp,
        data.notes,
        data.is_private,
        data.source,
        data.external_id,
    )
    with conn.transaction():
        stats = stats_db.lock(conn, user_id)
        row = activities_db.insert_unless_replay(conn, new, rate_limit)
        if row is None:
            # A replay (an import already there, or a retry of the same body without a key)
            # answers with the activity it made; the user_stats lock above serializes
            # identical racing bodies, so the second one finds the first
            # (docs/domain.md#activities). Otherwise the user is over the limit.
            existing = activities_db.replay_of(conn, new)
            if existing is not None:
                return Logged(ActivityWritten(activity=to_model(existing), team_updates=[]), False)
            frees_at = activities_db.limit_frees_at(conn, user_id, rate_limit)
            wait = (frees_at or datetime.now(UTC)) - datetime.now(UTC)
            raise RateLimited(
                f"At most {rate_limit} activities per hour",
                retry_after=max(1, int(wait.total_seconds()) + 1),
            )
        if data.location is not None:
            activity_locations.save(conn, row.id, data.location)
        day = daily_db.add(conn, user_id, row.activity_at, row.distance, row.duration)
        streak = _streak_after_add(conn, stats, day.day)
        last_at = max(filter(None, (stats.last_activity_at, row.activity_at)))
        updated = stats_db.apply(conn, user_id, row.distance, row.duration, 1, streak, last_at)
        earned = earned_by_write(conn, row, stats, updated)
        outcome = move(conn, user_id, None, Contribution(row.distance, row.activity_at))
    # Committed: the answer is built outside the transaction (the location is the one sent).
    activity = to_model(row).model_copy(update={"location": data.location})
    written = ActivityWritten(
        activity=activity,
        team_updates=outcome.team_updates,
        achievements_earned=earned + outcome.earned.pop(user_id, []),
    )
    return Logged(written, True)


def restate_streak(conn: Connection[Any], user_id: UUID) -> None:
    """After the user's timezone changed: their local days changed, so rebuild their daily
    totals in the new zone and recompute the streak from them (under the same lock activity
    writes take first)."""
    with conn.transaction():
        stats = stats_db.lock(conn, user_id)
        daily_db.rebuild(conn, user_id)
        streak = stats_db.streak_from_days(conn, user_id)
        stats_db.apply(conn, user_id, Decimal(0), 0, 0, streak, stats.last_activity_at)
