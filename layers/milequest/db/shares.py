"""activity_shares rows and the share card's data (only what docs/domain.md#social lets a
card show: never the location, notes or anyone else's data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_one, fetch_value


def share_of(conn: Connection[Any], activity_id: UUID) -> str | None:
    return fetch_value(
        conn, "SELECT share_id FROM activity_shares WHERE activity_id = %s", (activity_id,)
    )


def insert(conn: Connection[Any], share_id: str, activity_id: UUID, user_id: UUID) -> str:
    """The activity's share id: the new one, or the existing one when it was shared already."""
    return str(
        fetch_value(
            conn,
            """WITH ins AS (
                   INSERT INTO activity_shares (share_id, activity_id, user_id)
                   VALUES (%s, %s, %s)
                   ON CONFLICT (activity_id) DO NOTHING RETURNING share_id
               )
               SELECT share_id FROM ins
               UNION ALL SELECT share_id FROM activity_shares WHERE activity_id = %s
               LIMIT 1""",
            (share_id, activity_id, user_id, activity_id),
        )
    )


def delete(conn: Connection[Any], activity_id: UUID) -> bool:
    cur = conn.execute("DELETE FROM activity_shares WHERE activity_id = %s", (activity_id,))
    return cur.rowcount > 0


@dataclass(frozen=True, slots=True)
class CardRow:
    share_id: str
    activity_id: UUID
    user_id: UUID
    distance: Decimal
    duration: int
    pace: Decimal | None
    activity_at: datetime
    date: date  # the activity's day in the owner's timezone
    first_name: str  # the card names no one in full
    avatar_url: str | None


def card(conn: Connection[Any], share_id: str) -> CardRow | None:
    """The shared activity and its owner, when both are still shareable."""
    return fetch_one(
        conn,
        CardRow,
        """SELECT s.share_id, a.id AS activity_id, a.user_id, a.distance, a.duration,
                  a.pace, a.activity_at,
                  (a.activity_at AT TIME ZONE u.timezone)::date AS date,
                  COALESCE(substring(u.name FROM '[^[:space:]]+'), '') AS first_name, u.avatar_url
             FROM activity_shares s
             JOIN activities a ON a.id = s.activity_id AND NOT a.is_private
             JOIN users u ON u.id = a.user_id AND u.deleted_at IS NULL
            WHERE s.share_id = %s""",
        (share_id,),
    )


@dataclass(frozen=True, slots=True)
class CardGoalRow:
    team_name: str
    goal_name: str
    target_distance: Decimal
    route_data: Any
    total_distance: Decimal


def first_goal(conn: Connection[Any], user_id: UUID, activity_at: datetime) -> CardGoalRow | None:
    """The first goal (by team name) the activity counted for: an ACTIVE or COMPLETED goal of a
    live team the owner was a member of at the activity's time, within the goal's dates."""
    return fetch_one(
        conn,
        CardGoalRow,
        """SELECT t.name::text AS team_name, g.name AS goal_name, g.target_distance,
                  g.route_data, COALESCE(p.total_distance, 0) AS total_distance
             FROM team_goals g
             JOIN teams t ON t.id = g.team_id AND t.deleted_at IS NULL
             LEFT JOIN team_progress p ON p.goal_id = g.id
            WHERE g.status IN ('ACTIVE', 'COMPLETED')
              AND %(ts)s >= g.start_date AND %(ts)s <= g.end_date
              AND EXISTS (SELECT 1 FROM team_members m
                           WHERE m.team_id = g.team_id AND m.user_id = %(user)s
                             AND m.joined_at <= %(ts)s
                             AND (m.left_at IS NULL OR m.left_at > %(ts)s))
            ORDER BY t.name, g.start_date, g.id
            LIMIT 1""",
        {"user": user_id, "ts": activity_at},
    )
