"""The activity write path (docs/domain.md#activities): one transaction per write.

    lock user_stats row → (rate limit, import dedupe) → write the activity → user totals and
    streak → team progress of every goal it counts for (milestones, completion) → achievements

Edits move the contribution exactly (old subtracted, new added); deletes remove it exactly.
Goals that are no longer ACTIVE are frozen: their progress is history and is not moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from milequest.db import activities as activities_db
from milequest.db import user_stats as stats_db
from milequest.db.activities import ActivityRow
from milequest.domain import activity_locations
from milequest.domain.achievements import ActivityFacts, award_for_activity
from milequest.domain.errors import NotFound, RateLimited, ValidationFailed
from milequest.domain.goal_contributions import Contribution, move
from milequest.models.activities import (
    MIN_PACE,
    Activity,
    ActivityDeleted,
    ActivityWritten,
    CreateActivity,
    EarnedAchievement,
    UpdateActivity,
)


def to_model(row: ActivityRow) -> Activity:
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
    )


def local_date(at: datetime, tz: str) -> date:
    return at.astimezone(ZoneInfo(tz)).date()


def _streak_after_add(
    conn: Connection[Any], stats: stats_db.StatsRow, day: date
) -> stats_db.StreakState:
    """Incremental when the new day is at or after the last active day; else recompute."""
    last = stats.last_activity_date
    if last is None or day > last:
        current = stats.current_streak + 1 if last is not None and day == last + timedelta(1) else 1
        return stats_db.StreakState(current, max(stats.longest_streak, current), day)
    if day == last:
        return stats_db.StreakState(stats.current_streak, stats.longest_streak, last)
    return stats_db.recompute_streak(conn, stats.user_id, stats.timezone)  # back-dated


def _earned(
    conn: Connection[Any],
    row: ActivityRow,
    updated: stats_db.StatsRow,
    from_goals: list[EarnedAchievement],
) -> list[EarnedAchievement]:
    """Achievements this write earned the user: activity criteria, then goal completion."""
    facts = ActivityFacts(
        total_activities=updated.total_activities,
        total_distance=float(updated.total_distance),
        current_streak=updated.current_streak,
        distance=float(row.distance),
        duration=row.duration,
        at=row.activity_at,
        timezone=updated.timezone,
    )
    return award_for_activity(conn, row.user_id, row.id, facts) + from_goals


@dataclass(frozen=True)
class Logged:
    written: ActivityWritten
    created: bool  # False when an import was already there (deduplicated)


def log_activity(
    conn: Connection[Any], user_id: UUID, data: CreateActivity, rate_limit: int
) -> Logged:
    with conn.transaction():
        stats = stats_db.lock(conn, user_id)
        # A replay (an import already there, or a retry of the same body without a key) answers
        # with the activity it made; the user_stats lock above serializes identical racing
        # bodies, so the second one finds the first (docs/domain.md#activities).
        existing = (
            activities_db.by_external_id(conn, user_id, data.source, data.external_id)
            if data.external_id is not None
            else activities_db.same_as_recent(
                conn,
                user_id,
                at=data.timestamp,
                distance=data.distance,
                duration=data.duration,
                notes=data.notes,
                is_private=data.is_private,
                source=data.source,
            )
        )
        if existing is not None:
            return Logged(ActivityWritten(activity=to_model(existing), team_updates=[]), False)
        recent, oldest = activities_db.recent_count(conn, user_id)
        if recent >= rate_limit:
            assert oldest is not None
            wait = oldest + timedelta(hours=1) - datetime.now(UTC)
            raise RateLimited(
                f"At most {rate_limit} activities per hour",
                retry_after=max(1, int(wait.total_seconds()) + 1),
            )
        row = activities_db.insert(
            conn,
            user_id,
            data.distance,
            data.duration,
            data.timestamp,
            data.notes,
            data.is_private,
            data.source,
            data.external_id,
        )
        assert row is not None  # the unique import key was checked under the stats lock
        if data.location is not None:
            activity_locations.save(conn, row.id, data.location)
        streak = _streak_after_add(conn, stats, local_date(row.activity_at, stats.timezone))
        last_at = max(filter(None, (stats.last_activity_at, row.activity_at)))
        updated = stats_db.apply(conn, user_id, row.distance, row.duration, 1, streak, last_at)
        outcome = move(conn, user_id, None, Contribution(row.distance, row.activity_at))
        earned = _earned(conn, row, updated, outcome.earned.pop(user_id, []))
        written = ActivityWritten(
            activity=activity_locations.one_for_owner(conn, user_id, to_model(row)),
            team_updates=outcome.team_updates,
            achievements_earned=earned,
        )
        return Logged(written, True)


def _own(conn: Connection[Any], user_id: UUID, activity_id: UUID) -> ActivityRow:
    row = activities_db.get(conn, activity_id, lock=True)
    if row is None or row.user_id != user_id:
        raise NotFound("Activity not found")
    return row


def edit_activity(
    conn: Connection[Any], user_id: UUID, activity_id: UUID, data: UpdateActivity
) -> ActivityWritten:
    with conn.transaction():
        stats = stats_db.lock(conn, user_id)
        old = _own(conn, user_id, activity_id)
        changes: dict[str, Any] = {}
        for field, column in (
            ("distance", "distance"),
            ("duration", "duration"),
            ("timestamp", "activity_at"),
            ("notes", "notes"),
            ("is_private", "is_private"),
            ("external_id", "external_id"),
        ):
            if field in data.model_fields_set:
                changes[column] = getattr(data, field)
        distance = float(changes.get("distance", old.distance))
        duration = int(changes.get("duration", old.duration))
        if duration / (distance / 1000) < MIN_PACE:
            raise ValidationFailed(
                "Invalid request",
                [{"field": "duration", "message": "implausible pace: faster than 2 min/km"}],
            )
        if "location" in data.model_fields_set:
            activity_locations.save(conn, activity_id, data.location)
        row = (
            activities_db.update(conn, activity_id, changes)
            if changes
            else _own(conn, user_id, activity_id)
        )
        moved = (row.distance, row.activity_at) != (old.distance, old.activity_at)
        streak = stats_db.StreakState(
            stats.current_streak, stats.longest_streak, stats.last_activity_date
        )
        last_at = stats.last_activity_at
        if row.activity_at != old.activity_at:
            streak = stats_db.recompute_streak(conn, user_id, stats.timezone)
            last_at = stats_db.recompute_totals(conn, user_id).last_activity_at
        updated = stats_db.apply(
            conn,
            user_id,
            row.distance - old.distance,
            row.duration - old.duration,
            0,
            streak,
            last_at,
        )
        activity = activity_locations.one_for_owner(conn, user_id, to_model(row))
        if not moved:
            return ActivityWritten(activity=activity, team_updates=[])
        outcome = move(
            conn,
            user_id,
            Contribution(old.distance, old.activity_at),
            Contribution(row.distance, row.activity_at),
        )
        earned = _earned(conn, row, updated, outcome.earned.pop(user_id, []))
        return ActivityWritten(
            activity=activity, team_updates=outcome.team_updates, achievements_earned=earned
        )


def delete_activity(conn: Connection[Any], user_id: UUID, activity_id: UUID) -> ActivityDeleted:
    with conn.transaction():
        stats = stats_db.lock(conn, user_id)
        old = _own(conn, user_id, activity_id)
        activities_db.delete(conn, activity_id)
        streak = stats_db.recompute_streak(conn, user_id, stats.timezone)
        last_at = stats_db.recompute_totals(conn, user_id).last_activity_at
        stats_db.apply(conn, user_id, -old.distance, -old.duration, -1, streak, last_at)
        outcome = move(conn, user_id, Contribution(old.distance, old.activity_at), None)
        return ActivityDeleted(team_updates=outcome.team_updates)


def restate_streak(conn: Connection[Any], user_id: UUID) -> None:
    """After the user's timezone changed: their local days changed, so recompute the streak
    (under the same lock activity writes take first)."""
    with conn.transaction():
        stats = stats_db.lock(conn, user_id)
        streak = stats_db.recompute_streak(conn, user_id, stats.timezone)
        stats_db.apply(conn, user_id, Decimal(0), 0, 0, streak, stats.last_activity_at)
