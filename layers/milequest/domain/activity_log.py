"""The activity write path (docs/domain.md#activities): one transaction per write.

    [lock user_stats row → write the activity unless it is a replay or over the rate limit →
    local-day totals → user totals and streak → the achievements it crossed → team progress of
    every goal it counts for, and what each reached] (one server call,
    milequest.db.activity_create) → awards, milestones, completion → COMMIT

Most walks earn nothing and reach no mark: for those the call is the whole write, made outside
a transaction so that PostgreSQL commits the statement itself (no BEGIN or COMMIT round trip).
The call refuses such a shortcut for a walk with follow-ups, rolling back, and the write runs
again in a transaction that acts on them. The team's progress row is the one many writers
share, so it is taken last. Edits and deletes are in milequest.domain.activity_edit. Goals that
are no longer ACTIVE are frozen: their progress is history and is not moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from psycopg import Connection
from psycopg.pq import TransactionStatus

from milequest.db import achievements as achievements_db
from milequest.db import activity_create as create_db
from milequest.db import user_daily as daily_db
from milequest.db import user_stats as stats_db
from milequest.db.activities import ActivityRow
from milequest.db.activity_create import NewActivity
from milequest.domain import activity_locations
from milequest.domain.achievements import award_for_activity
from milequest.domain.activity_reads import to_model
from milequest.domain.errors import RateLimited
from milequest.domain.goal_contributions import Contribution, Outcome, settle
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
    conn: Connection[Any], row: ActivityRow, before: Totals, after: stats_db.StatsRow
) -> list[EarnedAchievement]:
    """Activity achievements an edit earned the user (stats before and after it)."""
    crossed = achievements_db.crossed_by_write(
        conn,
        row.user_id,
        (before.total_activities, before.total_distance, before.current_streak),
        (after.total_activities, after.total_distance, after.current_streak),
        (row.distance, row.duration, row.activity_at),
        after.timezone,
    )
    return award_for_activity(conn, row.user_id, row.id, crossed) if crossed else []


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
    made = None
    if data.location is None and conn.info.transaction_status == TransactionStatus.IDLE:
        # The walk as one statement, committed by PostgreSQL: most walks have no follow-ups.
        try:
            made = create_db.log(conn, new, rate_limit, bail=True)
        except create_db.FollowUps:
            made = None
    if made is None:
        with conn.transaction():
            made = create_db.log(conn, new, rate_limit, bail=False)
            outcome = _follow_ups(conn, made, data)
    else:
        outcome = _follow_ups(conn, made, data)
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
    # Committed: the answer is built outside the transaction (the location is the one sent).
    earned, team = outcome
    written = ActivityWritten(
        activity=to_model(made.activity, data.location),
        team_updates=team.team_updates,
        achievements_earned=earned + team.earned.pop(user_id, []),
    )
    return Logged(written, True)


def _follow_ups(
    conn: Connection[Any],
    made: create_db.Created | create_db.Replay | create_db.Limited,
    data: CreateActivity,
) -> tuple[list[EarnedAchievement], Outcome]:
    """What a created walk's transaction does after the call: its location, the awards, the
    goals' milestones and completion (none of them, and no statement, for a walk logged in
    one statement: the call refused those)."""
    if not isinstance(made, create_db.Created):
        return [], Outcome(team_updates=[], earned={})
    row = made.activity
    if data.location is not None:
        activity_locations.save(conn, row.id, data.location)
    earned = award_for_activity(conn, row.user_id, row.id, made.crossed) if made.crossed else []
    return earned, settle(conn, made.moved, None, Contribution(row.distance, row.activity_at))


def restate_streak(conn: Connection[Any], user_id: UUID) -> None:
    """After the user's timezone changed: their local days changed, so rebuild their daily
    totals in the new zone and recompute the streak from them (under the same lock activity
    writes take first)."""
    with conn.transaction():
        stats = stats_db.lock(conn, user_id)
        daily_db.rebuild(conn, user_id)
        streak = stats_db.streak_from_days(conn, user_id)
        stats_db.apply(conn, user_id, Decimal(0), 0, 0, streak, stats.last_activity_at)
