"""notifications rows: the one way any area creates in-app notifications.

Called inside the caller's write transaction, so a notification exists exactly when the event
that caused it committed. `dedupe_key` makes "notify once" a database fact: a second insert for
the same event and user is silently skipped by the unique (user_id, channel, dedupe_key) index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal
from uuid import UUID

from psycopg import Connection
from psycopg.types.json import Jsonb

Category = Literal[
    "MEMBER_JOINED",
    "GOAL_CREATED",
    "MILESTONE",
    "GOAL_COMPLETED",
    "GOAL_FAILED",
    "ACHIEVEMENT_EARNED",
    "INVITE_RECEIVED",
]


def notify(
    conn: Connection[Any],
    user_ids: Iterable[UUID],
    category: Category,
    title: str,
    body: str = "",
    *,
    team_id: UUID | None = None,
    data: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Create one REALTIME notification per user; returns how many were new."""
    users = sorted(set(user_ids))
    if not users:
        return 0
    cur = conn.execute(
        """INSERT INTO notifications (user_id, team_id, category, channel, title, body, data,
                                      dedupe_key, status, sent_at)
           SELECT u, %(team)s, %(category)s, 'REALTIME', %(title)s, %(body)s, %(data)s,
                  %(dedupe)s, 'SENT', now()
           FROM unnest(%(users)s::uuid[]) AS u
           ON CONFLICT (user_id, channel, dedupe_key) DO NOTHING""",
        {
            "users": users,
            "team": team_id,
            "category": category,
            "title": title[:200],
            "body": body[:2000],
            "data": Jsonb(data or {}),
            "dedupe": dedupe_key,
        },
    )
    return cur.rowcount


def live_member_ids(conn: Connection[Any], team_id: UUID) -> list[UUID]:
    rows = conn.execute(
        "SELECT user_id FROM team_members WHERE team_id = %s AND left_at IS NULL", (team_id,)
    ).fetchall()
    return [r[0] for r in rows]


def delete_preferences(conn: Connection[Any], user_id: UUID) -> None:
    conn.execute("DELETE FROM notification_preferences WHERE user_id = %s", (user_id,))
