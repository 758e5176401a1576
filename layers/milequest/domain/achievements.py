"""Achievements (DOMAIN.md, Achievements): criteria JSON validated by pydantic, evaluated inside
the write transaction that may satisfy them, each earned once per user (unique index)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from milequest.db.notifications import notify
from milequest.db.rows import fetch_all
from milequest.models.activities import CatalogAchievement, EarnedAchievement


class _Criteria(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
CRITERIA = TypeAdapter(Criteria)


@dataclass(frozen=True)
class ActivityFacts:
    """What an activity write knows about the user after it was applied."""

    total_activities: int
    total_distance: float
    current_streak: int
    distance: float
    duration: int
    at: datetime
    timezone: str


@dataclass(frozen=True)
class _Unearned:
    id: UUID
    key: str
    name: str
    description: str
    icon: str
    category: str
    criteria: dict[str, Any]


def _unearned(conn: Connection[Any], user_id: UUID) -> list[_Unearned]:
    return fetch_all(
        conn,
        _Unearned,
        """SELECT a.id, a.key, a.name, a.description, a.icon, a.category, a.criteria
           FROM achievements a
           WHERE NOT EXISTS (SELECT 1 FROM user_achievements ua
                             WHERE ua.user_id = %s AND ua.achievement_id = a.id)
           ORDER BY a.sort_order, a.key""",
        (user_id,),
    )


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


def _award(
    conn: Connection[Any],
    user_id: UUID,
    achievement: _Unearned,
    activity_id: UUID | None,
    goal_id: UUID | None,
) -> EarnedAchievement | None:
    row = conn.execute(
        """INSERT INTO user_achievements (user_id, achievement_id, activity_id, goal_id)
           VALUES (%s, %s, %s, %s) ON CONFLICT (user_id, achievement_id) DO NOTHING
           RETURNING earned_at""",
        (user_id, achievement.id, activity_id, goal_id),
    ).fetchone()
    if row is None:
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
        earned_at=row[0],
    )


def award_for_activity(
    conn: Connection[Any], user_id: UUID, activity_id: UUID, facts: ActivityFacts
) -> list[EarnedAchievement]:
    earned = []
    for a in _unearned(conn, user_id):
        if _met_by_activity(CRITERIA.validate_python(a.criteria), facts):
            got = _award(conn, user_id, a, activity_id, None)
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
        completed = conn.execute(
            """SELECT count(DISTINCT g.id) FROM team_goals g
               JOIN team_members m ON m.team_id = g.team_id AND m.user_id = %s
                    AND m.joined_at <= g.completed_at
                    AND (m.left_at IS NULL OR m.left_at > g.completed_at)
               WHERE g.status = 'COMPLETED'""",
            (user_id,),
        ).fetchone()
        done = int(completed[0]) if completed else 0
        for a in _unearned(conn, user_id):
            criteria = CRITERIA.validate_python(a.criteria)
            met = (isinstance(criteria, TeamGoalCompleted) and done >= criteria.count) or (
                isinstance(criteria, TopContributor) and user_id == top
            )
            if met and (got := _award(conn, user_id, a, None, goal_id)) is not None:
                earned.setdefault(user_id, []).append(got)
    return earned


def catalog(conn: Connection[Any]) -> list[CatalogAchievement]:
    return fetch_all(
        conn,
        CatalogAchievement,
        """SELECT id, key, name, description, icon, category, criteria
           FROM achievements ORDER BY sort_order, key""",
    )


def earned_by(conn: Connection[Any], user_id: UUID) -> list[EarnedAchievement]:
    return fetch_all(
        conn,
        EarnedAchievement,
        """SELECT a.id, a.key, a.name, a.description, a.icon, a.category, ua.earned_at
           FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id
           WHERE ua.user_id = %s ORDER BY ua.earned_at DESC, a.sort_order""",
        (user_id,),
    )
