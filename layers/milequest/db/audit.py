"""audit_log rows, written in the same transaction as the sensitive operation they record."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from psycopg import Connection
from psycopg.types.json import Jsonb

Action = Literal[
    "TEAM_DELETED",
    "MEMBER_REMOVED",
    "MEMBER_LEFT",
    "ROLE_CHANGED",
    "GOAL_CANCELLED",
    "GOAL_GIVEN_UP",
    "ACCOUNT_DELETED",
    "DATA_EXPORTED",
]


def record(
    conn: Connection[Any],
    actor_id: UUID | None,
    action: Action,
    *,
    team_id: UUID | None = None,
    target_user_id: UUID | None = None,
    target_id: UUID | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        """INSERT INTO audit_log (actor_id, action, team_id, target_user_id, target_id, details)
           VALUES (%s, %s, %s, %s, %s, %s)""",
        (actor_id, action, team_id, target_user_id, target_id, Jsonb(details or {})),
    )
