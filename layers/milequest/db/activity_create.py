"""Logging one activity's user side in one call of `activity_create` (migrations/0750): the
user_stats lock, the insert with its replay and rate-limit guards, the local day's totals, the
streak and the totals, in that order and each with its own snapshot, as separate statements
would run them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from psycopg import Connection

from milequest.db.activities import ActivityRow
from milequest.db.rows import fetch_one
from milequest.db.user_stats import StatsRow


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
    prev_total_distance: Decimal | None
    prev_total_activities: int | None
    prev_current_streak: int | None
    total_distance: Decimal | None
    total_duration: int | None
    total_activities: int | None
    current_streak: int | None
    longest_streak: int | None
    last_activity_at: datetime | None
    last_activity_date: date | None
    timezone: str | None
    held_achievements: list[UUID] | None


@dataclass(frozen=True)
class Before:
    """What the stats row held before the write (what achievements compare against)."""

    total_distance: Decimal
    total_activities: int
    current_streak: int


@dataclass(frozen=True)
class Created:
    activity: ActivityRow
    before: Before
    after: StatsRow
    held_achievements: frozenset[UUID]  # earned before this write


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


_NAMES = {cls: tuple(f.name for f in fields(cls)) for cls in (ActivityRow, Before, StatsRow)}


def create(conn: Connection[Any], new: NewActivity, limit: int) -> Created | Replay | Limited:
    r = fetch_one(
        conn,
        _Result,
        "SELECT * FROM activity_create(%s, %s::numeric, %s::int, %s, %s::text, %s, %s::text,"
        " %s::text, %s::int)",
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
        ),
    )
    assert r is not None
    if r.outcome == "LIMITED":
        return Limited(r.frees_at)
    activity: ActivityRow = _pick(ActivityRow, r)
    if r.outcome == "REPLAY":
        return Replay(activity)
    held = frozenset(r.held_achievements or ())
    return Created(activity, _pick(Before, r, "prev_"), _pick(StatsRow, r), held)
