"""Reaction batching: at most one ACTIVITY_REACTION notification per activity per hour."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection


def fold_into_recent_reaction(conn: Connection[Any], author: UUID, activity_id: UUID) -> bool:
    """Count a reaction into the author's reaction notification of the last hour for this
    activity; False when there is none (a new one is due). The advisory lock serializes
    concurrent reactions to one activity, so two of them cannot both start a notification."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('reaction:' || %s::text))", (activity_id,))
    cur = conn.execute(
        """UPDATE notifications
              SET data = jsonb_set(data, '{reactions}',
                                   to_jsonb(COALESCE((data ->> 'reactions')::int, 1) + 1))
            WHERE id = (SELECT id FROM notifications
                         WHERE user_id = %s AND category = 'ACTIVITY_REACTION'
                           AND data ->> 'activityId' = %s::text
                           AND created_at > now() - interval '1 hour'
                         ORDER BY created_at DESC LIMIT 1)""",
        (author, activity_id),
    )
    return cur.rowcount > 0
