"""Achievements (docs/domain.md#achievements): criteria JSON validated by pydantic, each earned once
per user (unique index), in the write transaction that satisfied it. The activity criteria are
decided by SQL in the write's own statement (`activity_achievements_crossed`, migrations/0790);
the team criteria here, when a goal completes. The catalog and a user's earned ones are read in
milequest.domain.achievement_reads."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Annotated, Any, Literal
from uuid import UUID

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


# The catalog per database: it changes only by migration, which runs before a release's
# functions replace the previous ones, so a process never holds one older than its code.
_CATALOGS: dict[tuple[str, int, str], list[achievements_db.Unearned]] = {}


def _catalog(conn: Connection[Any]) -> list[achievements_db.Unearned]:
    key = (conn.info.host, conn.info.port, conn.info.dbname)
    if key not in _CATALOGS:
        _CATALOGS[key] = achievements_db.catalog_rows(conn)
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
    conn: Connection[Any], user_id: UUID, activity_id: UUID, crossed: Collection[UUID]
) -> list[EarnedAchievement]:
    """Award the activity achievements SQL found the write crossed, in catalog order; one
    insert each (a no-op when a concurrent write earned it first) and its notification."""
    earned = []
    for row in _catalog(conn):
        if row.id in crossed and (got := _award(conn, user_id, row, activity_id, None)):
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
