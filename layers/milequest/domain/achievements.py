"""Achievements (docs/domain.md#achievements): criteria JSON validated by pydantic, evaluated inside
the write transaction that may satisfy them, each earned once per user (unique index). The
catalog and a user's earned ones are read in milequest.domain.achievement_reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from milequest.db import achievements as achievements_db
from milequest.db.notifications import notify
from milequest.models.activities import EarnedAchievement


class _Criteria(BaseModel):
    # Schemas built on first validation (with the adapter below), not at import: building
    # eight of them cost every cold start of every area that imports this module.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ActivityCount(_Criteria):
    type: Literal["activity_count"]
    count: int = Field(ge=1)


class TotalDistance(_Criteria):
    type: Literal["total_distance"]
    meters: float = Field(gt=0)


class SingleActivityDistance(_Criteria):
    type: Literal["single_activity_distance"]
    meters: float = Field(gt=0)


class StreakLength(_Criteria):
    type: Literal["streak"]
    days: int = Field(ge=1)


class Pace(_Criteria):
    type: Literal["pace"]
    max_seconds_per_km: float = Field(gt=0)
    min_meters: float = Field(default=0, ge=0)


class TeamGoalCompleted(_Criteria):
    type: Literal["team_goal_completed"]
    count: int = Field(default=1, ge=1)


class TopContributor(_Criteria):
    type: Literal["top_contributor"]


class EarlyBird(_Criteria):
    type: Literal["early_bird"]
    before_hour: int = Field(ge=1, le=23)


Criteria = Annotated[
    ActivityCount
    | TotalDistance
    | SingleActivityDistance
    | StreakLength
    | Pace
    | TeamGoalCompleted
    | TopContributor
    | EarlyBird,
    Field(discriminator="type"),
]


@cache
def _criteria() -> TypeAdapter[Criteria]:
    """The criteria adapter, built on first use: only a write that awards achievements (or a
    catalog read) needs it, and building it at import cost every cold start."""
    return TypeAdapter(Criteria)


@dataclass(frozen=True)
class ActivityFacts:
    """What an activity write knows about the user before and after it was applied."""

    total_activities: int
    total_distance: float
    current_streak: int
    distance: float
    duration: int
    at: datetime
    timezone: str
    previous_activities: int
    previous_distance: float
    previous_streak: int


def _met_by_activity(criteria: Criteria, f: ActivityFacts) -> bool:
    match criteria:
        case ActivityCount(count=n):
            return f.total_activities >= n
        case TotalDistance(meters=m):
            return f.total_distance >= m
        case SingleActivityDistance(meters=m):
            return f.distance >= m
        case StreakLength(days=d):
            return f.current_streak >= d
        case Pace(max_seconds_per_km=p, min_meters=m):
            return f.distance >= m and f.duration / (f.distance / 1000) <= p
        case EarlyBird(before_hour=h):
            return f.at.astimezone(ZoneInfo(f.timezone)).hour < h
    return False


def _crossed(criteria: Criteria, f: ActivityFacts) -> bool:
    """Whether this write can have earned it: a running total crossed its threshold, or the
    activity itself meets it. A total already past the threshold before the write was
    awarded by the write that crossed it, so it is not looked at again."""
    match criteria:
        case ActivityCount(count=n):
            return f.previous_activities < n <= f.total_activities
        case TotalDistance(meters=m):
            return f.previous_distance < m <= f.total_distance
        case StreakLength(days=d):
            return f.previous_streak < d <= f.current_streak
    return _met_by_activity(criteria, f)


@dataclass(frozen=True)
class _Entry:
    row: achievements_db.Unearned
    criteria: Criteria


# The catalog per database: it changes only by migration, which runs before a release's
# functions replace the previous ones, so a process never holds one older than its code.
_CATALOGS: dict[tuple[str, int, str], list[_Entry]] = {}


def _catalog(conn: Connection[Any]) -> list[_Entry]:
    key = (conn.info.host, conn.info.port, conn.info.dbname)
    if key not in _CATALOGS:
        _CATALOGS[key] = [
            _Entry(a, _criteria().validate_python(a.criteria))
            for a in achievements_db.catalog_rows(conn)
        ]
    return _CATALOGS[key]


def _award(
    conn: Connection[Any],
    user_id: UUID,
    achievement: achievements_db.Unearned,
    activity_id: UUID | None,
    goal_id: UUID | None,
) -> EarnedAchievement | None:
    earned_at = achievements_db.insert_earned(conn, user_id, achievement.id, activity_id, goal_id)
    if earned_at is None:
        return None
    notify(
        conn,
        [user_id],
        "ACHIEVEMENT_EARNED",
        f"Achievement unlocked: {achievement.name}",
        achievement.description,
        data={"achievementId": str(achievement.id), "key": achievement.key},
        dedupe_key=f"achievement:{achievement.key}",
    )
    return EarnedAchievement(
        id=achievement.id,
        key=achievement.key,
        name=achievement.name,
        description=achievement.description,
        icon=achievement.icon,
        category=achievement.category,
        earned_at=earned_at,
    )


def award_for_activity(
    conn: Connection[Any],
    user_id: UUID,
    activity_id: UUID,
    facts: ActivityFacts,
    held: frozenset[UUID] = frozenset(),
) -> list[EarnedAchievement]:
    """Award what the write can have earned; one insert each (a no-op when already earned),
    and no statement at all when nothing can have been crossed or the user already holds it
    (`held`: most walks meet a single-walk achievement their walker earned long ago)."""
    earned = []
    for entry in _catalog(conn):
        if entry.row.id not in held and _crossed(entry.criteria, facts):
            got = _award(conn, user_id, entry.row, activity_id, None)
            if got is not None:
                earned.append(got)
    return earned


def award_for_completed_goal(
    conn: Connection[Any], goal_id: UUID, members: list[UUID], top: UUID | None
) -> dict[UUID, list[EarnedAchievement]]:
    """Team achievements when a goal completes: every member is part of it; the top
    contributor also gets theirs."""
    earned: dict[UUID, list[EarnedAchievement]] = {}
    for user_id in sorted(members):
        done = achievements_db.completed_goal_count(conn, user_id)
        for a in achievements_db.unearned(conn, user_id):
            criteria = _criteria().validate_python(a.criteria)
            met = (isinstance(criteria, TeamGoalCompleted) and done >= criteria.count) or (
                isinstance(criteria, TopContributor) and user_id == top
            )
            if met and (got := _award(conn, user_id, a, None, goal_id)) is not None:
                earned.setdefault(user_id, []).append(got)
    return earned
