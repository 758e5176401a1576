"""Logging one walk in one call of `activity_log` (migrations/0790): the user side of
`activity_create` (0750, 0780: the user_stats lock, the insert with its replay and rate-limit
guards, the local day's totals, the streak and the totals), the activity achievements it
crossed, and the team side of `team_progress_move` (0740) with what each goal reached, in that
order and each with its own snapshot, as separate statements would run them.

Called with `bail` outside a transaction, the call is the whole write: PostgreSQL commits the
statement. A walk that crossed an achievement or reached a milestone, waypoint or completion
then raises `FollowUps` instead (everything the call did rolled back with it), and the write
runs again inside a transaction that acts on them (milequest.domain.activity_log)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg import Connection

from milequest.db.activities import ActivityRow
from milequest.db.rows import fetch_all
from milequest.db.team_progress import MovedRow

# What `activity_log` raises when `bail` was asked for and the walk has follow-ups.
FOLLOW_UPS_SQLSTATE = "MQ001"


class FollowUps(Exception):
    """The walk crossed an achievement or reached a goal mark: it must be logged in a
    transaction that acts on them. Nothing was written."""


@dataclass(frozen=True)
class NewActivity:
    user_id: UUID
    distance: float
    duration: int
    at: datetime
    notes: str | None
    is_private: bool
    source: str
    external_id: str | None


@dataclass(frozen=True)
class _Result:
    outcome: Literal["CREATED", "REPLAY", "LIMITED"]
    id: UUID | None
    user_id: UUID
    distance: Decimal | None
    duration: int | None
    pace: Decimal | None
    activity_at: datetime | None
    notes: str | None
    is_private: bool | None
    source: str | None
    external_id: str | None
    created_at: datetime | None
    updated_at: datetime | None
    frees_at: datetime | None
    crossed: list[UUID] | None
    g_goal_id: UUID | None
    g_team_id: UUID | None
    g_goal_name: str | None
    g_status: str | None
    g_target_distance: Decimal | None
    g_segment_ends: list[float] | None
    g_total_distance: Decimal | None
    g_total_activities: int | None
    g_last_activity_at: datetime | None
    g_milestones_reached: list[int] | None
    g_waypoints_reached: list[int] | None
    g_counted_old: bool | None
    g_counted_new: bool | None
    g_new_milestones: list[int] | None
    g_new_waypoints: list[int] | None
    g_completes: bool | None


@dataclass(frozen=True)
class Created:
    activity: ActivityRow
    crossed: tuple[UUID, ...]  # activity achievements it earned (not held before)
    moved: list[MovedRow]  # the goals it counted for, as moved (locked until COMMIT)


@dataclass(frozen=True)
class Replay:
    activity: ActivityRow  # the one already there


@dataclass(frozen=True)
class Limited:
    frees_at: datetime | None  # when one more activity fits in the hour


def _pick(cls: type[Any], r: _Result, prefix: str = "") -> Any:
    """The columns of the call's flat row that make up a `cls` row (same names after `prefix`):
    the call returns one row whatever the outcome, so its columns are nullable, and which of
    them are set depends on the outcome."""
    return cls(**{name: getattr(r, prefix + name) for name in _NAMES[cls]})


_NAMES = {cls: tuple(f.name for f in fields(cls)) for cls in (ActivityRow, MovedRow)}


# The call, its ten arguments in activity_log's order (the benchmark drives the same text from
# pgbench: bench/contention.py).
LOG_SQL = (
    "SELECT * FROM activity_log(%s, %s::numeric, %s::int, %s, %s::text, %s, %s::text,"
    " %s::text, %s::int, %s)"
)


def log(
    conn: Connection[Any], new: NewActivity, limit: int, bail: bool
) -> Created | Replay | Limited:
    """One call of `activity_log`; `bail`: raise FollowUps rather than log a walk with
    follow-ups (outside a transaction, where the call commits on its own)."""
    try:
        rows = fetch_all(
            conn,
            _Result,
            LOG_SQL,
            (
                new.user_id,
                new.distance,
                new.duration,
                new.at,
                new.notes,
                new.is_private,
                new.source,
                new.external_id,
                limit,
                bail,
            ),
        )
    except psycopg.Error as err:
        if err.sqlstate == FOLLOW_UPS_SQLSTATE:
            raise FollowUps from None
        raise
    r = rows[0]
    if r.outcome == "LIMITED":
        return Limited(r.frees_at)
    activity: ActivityRow = _pick(ActivityRow, r)
    if r.outcome == "REPLAY":
        return Replay(activity)
    moved = [_pick(MovedRow, g, "g_") for g in rows if g.g_goal_id is not None]
    return Created(activity, tuple(r.crossed or ()), moved)
