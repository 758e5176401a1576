"""achievements and user_achievements rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_all
from milequest.models.activities import CatalogAchievement, EarnedAchievement


@dataclass(frozen=True)
class Unearned:
    id: UUID
    key: str
    name: str
    description: str
    icon: str
    category: str
    criteria: dict[str, Any]


_ENTRY = "SELECT a.id, a.key, a.name, a.description, a.icon, a.category, a.criteria"


def unearned(conn: Connection[Any], user_id: UUID) -> list[Unearned]:
    return fetch_all(
        conn,
        Unearned,
        f"""{_ENTRY} FROM achievements a
            WHERE NOT EXISTS (SELECT 1 FROM user_achievements ua
                              WHERE ua.user_id = %s AND ua.achievement_id = a.id)
            ORDER BY a.sort_order, a.key""",
        (user_id,),
    )


def catalog_rows(conn: Connection[Any]) -> list[Unearned]:
    """Every catalog entry with its criteria, in catalog order."""
    return fetch_all(conn, Unearned, f"{_ENTRY} FROM achievements a ORDER BY a.sort_order, a.key")


def crossed_by_write(
    conn: Connection[Any],
    user_id: UUID,
    before: tuple[int, Decimal, int],
    after: tuple[int, Decimal, int],
    walk: tuple[Decimal, int, datetime],
    timezone: str,
) -> list[UUID]:
    """The activity achievements a write can have earned that the user does not hold, by the
    rules of `activity_achievements_crossed` (migrations/0790), which a logged walk's
    `activity_log` call applies itself: (count, distance, streak) before and after the
    write, and the walk (distance, duration, time) in the user's zone."""
    row = conn.execute(
        "SELECT activity_achievements_crossed(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (user_id, before[0], after[0], before[1], after[1], before[2], after[2], *walk, timezone),
    ).fetchone()
    return list(row[0]) if row is not None else []


def insert_earned(
    conn: Connection[Any],
    user_id: UUID,
    achievement_id: UUID,
    activity_id: UUID | None,
    goal_id: UUID | None,
) -> datetime | None:
    """Award once: None when the user already had it (unique user+achievement)."""
    row = conn.execute(
        """INSERT INTO user_achievements (user_id, achievement_id, activity_id, goal_id)
           VALUES (%s, %s, %s, %s) ON CONFLICT (user_id, achievement_id) DO NOTHING
           RETURNING earned_at""",
        (user_id, achievement_id, activity_id, goal_id),
    ).fetchone()
    return None if row is None else row[0]


def completed_goal_count(conn: Connection[Any], user_id: UUID) -> int:
    """Completed goals of teams the user was a member of when the goal completed."""
    row = conn.execute(
        """SELECT count(DISTINCT g.id) FROM team_goals g
           JOIN team_members m ON m.team_id = g.team_id AND m.user_id = %s
                AND m.joined_at <= g.completed_at
                AND (m.left_at IS NULL OR m.left_at > g.completed_at)
           WHERE g.status = 'COMPLETED'""",
        (user_id,),
    ).fetchone()
    return int(row[0]) if row else 0


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
