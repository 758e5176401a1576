"""Editing and deleting an activity (docs/domain.md#aggregates): the contribution moves exactly
(old subtracted, new added) or is removed exactly, in one transaction, in the write path's lock
order (milequest.domain.activity_log). What they recompute is bounded: the streak from the
user's daily totals (one row per active day), the latest activity by index probes, and only
when the activity was the latest one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import activities as activities_db
from milequest.db import user_daily as daily_db
from milequest.db import user_stats as stats_db
from milequest.db.activities import ActivityRow
from milequest.domain import activity_locations
from milequest.domain.activity_log import earned_by_write
from milequest.domain.activity_reads import to_model
from milequest.domain.errors import NotFound, ValidationFailed
from milequest.domain.goal_contributions import Contribution, move
from milequest.models.activities import MIN_PACE, ActivityDeleted, ActivityWritten, UpdateActivity

_EDITABLE = (
    ("distance", "distance"),
    ("duration", "duration"),
    ("timestamp", "activity_at"),
    ("notes", "notes"),
    ("is_private", "is_private"),
    ("external_id", "external_id"),
)


def _own(conn: Connection[Any], user_id: UUID, activity_id: UUID) -> ActivityRow:
    row = activities_db.get(conn, activity_id, lock=True)
    if row is None or row.user_id != user_id:
        raise NotFound("Activity not found")
    return row


def _latest_after(
    conn: Connection[Any], stats: stats_db.StatsRow, removed: datetime, added: datetime | None
) -> datetime | None:
    """The user's latest activity once `removed` is gone (and `added` is in): unchanged unless
    the removed one was the latest, then one index probe."""
    last = stats.last_activity_at
    if last is None or removed >= last:
        return activities_db.latest_at(conn, stats.user_id)
    return max(last, added) if added is not None else last


def _move_days(
    conn: Connection[Any], user_id: UUID, old: ActivityRow, new: ActivityRow | None
) -> bool:
    """Move the daily totals from `old` to `new` (None: deleted). True when the set of active
    days may have changed (a day emptied or a new one began), so the streak is recomputed."""
    if new is not None and new.activity_at == old.activity_at:
        daily_db.shift(
            conn,
            user_id,
            old.activity_at,
            new.distance - old.distance,
            new.duration - old.duration,
            0,
        )
        return False
    left = daily_db.shift(conn, user_id, old.activity_at, -old.distance, -old.duration, -1)
    emptied = left is None or left.activities <= 0
    if new is None:
        return emptied
    began = daily_db.add(conn, user_id, new.activity_at, new.distance, new.duration)
    return emptied or began.activities == 1


def _streak(
    conn: Connection[Any], stats: stats_db.StatsRow, days_changed: bool
) -> stats_db.StreakState:
    if days_changed:
        return stats_db.streak_from_days(conn, stats.user_id)
    return stats_db.StreakState(
        stats.current_streak, stats.longest_streak, stats.last_activity_date
    )


def edit_activity(
    conn: Connection[Any], user_id: UUID, activity_id: UUID, data: UpdateActivity
) -> ActivityWritten:
    with conn.transaction():
        stats = stats_db.lock(conn, user_id)
        old = _own(conn, user_id, activity_id)
        changes: dict[str, Any] = {
            column: getattr(data, field)
            for field, column in _EDITABLE
            if field in data.model_fields_set
        }
        distance = float(changes.get("distance", old.distance))
        duration = int(changes.get("duration", old.duration))
        if duration / (distance / 1000) < MIN_PACE:
            raise ValidationFailed(
                "Invalid request",
                [{"field": "duration", "message": "implausible pace: faster than 2 min/km"}],
            )
        if "location" in data.model_fields_set:
            activity_locations.save(conn, activity_id, data.location)
        row = activities_db.update(conn, activity_id, changes) if changes else old
        activity = activity_locations.one_for_owner(conn, user_id, to_model(row))
        moved = (row.distance, row.activity_at) != (old.distance, old.activity_at)
        if not moved and row.duration == old.duration:
            # Notes, privacy, external id or location: no total, day, streak or goal moves.
            return ActivityWritten(activity=activity, team_updates=[])
        days_changed = _move_days(conn, user_id, old, row)
        last_at = stats.last_activity_at
        if row.activity_at != old.activity_at:
            last_at = _latest_after(conn, stats, old.activity_at, row.activity_at)
        updated = stats_db.apply(
            conn,
            user_id,
            row.distance - old.distance,
            row.duration - old.duration,
            0,
            _streak(conn, stats, days_changed),
            last_at,
        )
        if not moved:
            return ActivityWritten(activity=activity, team_updates=[])
        earned = earned_by_write(conn, row, stats, updated)
        outcome = move(
            conn,
            user_id,
            Contribution(old.distance, old.activity_at),
            Contribution(row.distance, row.activity_at),
        )
    return ActivityWritten(
        activity=activity,
        team_updates=outcome.team_updates,
        achievements_earned=earned + outcome.earned.pop(user_id, []),
    )


def delete_activity(conn: Connection[Any], user_id: UUID, activity_id: UUID) -> ActivityDeleted:
    with conn.transaction():
        stats = stats_db.lock(conn, user_id)
        old = activities_db.delete(conn, activity_id, user_id)
        if old is None:
            raise NotFound("Activity not found")
        days_changed = _move_days(conn, user_id, old, None)
        last_at = _latest_after(conn, stats, old.activity_at, None)
        streak = _streak(conn, stats, days_changed)
        stats_db.apply(conn, user_id, -old.distance, -old.duration, -1, streak, last_at)
        outcome = move(conn, user_id, Contribution(old.distance, old.activity_at), None)
    return ActivityDeleted(team_updates=outcome.team_updates)
