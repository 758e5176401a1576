"""The activity write path (docs/domain.md#activities): one transaction per write.

    [lock user_stats row → write the activity unless it is a replay or over the rate limit →
    local-day totals → user totals and streak] (one server call, milequest.db.activity_create)
    → achievements → [team progress of every goal it counts for] (one server call,
    milequest.db.team_progress.move) → milestones, completion → COMMIT

The team's progress row is the one many writers share, so it is taken last: it is held for its
own update and the COMMIT, not through the user's own bookkeeping. Edits and deletes are in
milequest.domain.activity_edit. Goals that are no longer ACTIVE are frozen: their progress is
history and is not moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from psycopg import Connection

from milequest.db import activity_create as create_db
from milequest.db import user_daily as daily_db
from milequest.db import user_stats as stats_db
from milequest.db.activities import ActivityRow
from milequest.db.activity_create import NewActivity
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


class Totals(Protocol):
    """The stats an achievement compares before and after a write."""

    @property
    def total_distance(self) -> Decimal: ...
    @property
    def total_activities(self) -> int: ...
    @property
    def current_streak(self) -> int: ...


def earned_by_write(
    conn: Connection[Any],
    row: ActivityRow,
    before: Totals,
    after: stats_db.StatsRow,
    held: frozenset[UUID] = frozenset(),
) -> list[EarnedAchievement]:
    """Activity achievements this write earned the user (stats before and after it; `held`:
    achievements known to be earned already, which are not tried again)."""
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
    return award_for_activity(conn, row.user_id, row.id, facts, held)


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
        made = create_db.create(conn, new, rate_limit)
        if isinstance(made, create_db.Replay):
            # A replay (an import already there, or a retry of the same body without a key)
            # answers with the activity it made; the user_stats lock serializes identical
            # racing bodies, so the second one finds the first (docs/domain.md#activities).
            return Logged(ActivityWritten(activity=to_model(made.activity), team_updates=[]), False)
        if isinstance(made, create_db.Limited):
            wait = (made.frees_at or datetime.now(UTC)) - datetime.now(UTC)
            raise RateLimited(
                f"At most {rate_limit} activities per hour",
                retry_after=max(1, int(wait.total_seconds()) + 1),
            )
        row = made.activity
        if data.location is not None:
            activity_locations.save(conn, row.id, data.location)
        earned = earned_by_write(conn, row, made.before, made.after, made.held_achievements)
        outcome = move(conn, user_id, None, Contribution(row.distance, row.activity_at))
    # Committed: the answer is built outside the transaction (the location is the one sent).
    written = ActivityWritten(
        activity=to_model(row, data.location),
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
