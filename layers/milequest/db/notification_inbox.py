"""The in-app inbox: a user's notifications whose REALTIME channel is on (`in_app`), newest
first, and their read state (mirrored on the REALTIME delivery)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_all, fetch_one, fetch_value
from milequest.models.notifications import Notification

_COLUMNS = "id, category, title, body, data, team_id, read_at, created_at"


def page(
    conn: Connection[Any],
    user_id: UUID,
    after: tuple[datetime, UUID] | None,
    fetch: int,
    unread_only: bool,
) -> list[Notification]:
    return fetch_all(
        conn,
        Notification,
        f"""SELECT {_COLUMNS} FROM notifications
             WHERE user_id = %(me)s AND in_app
               AND (NOT %(unread)s OR read_at IS NULL)
               AND (%(at)s::timestamptz IS NULL OR (created_at, id) < (%(at)s, %(id)s))
             ORDER BY created_at DESC, id DESC
             LIMIT %(fetch)s""",
        {
            "me": user_id,
            "unread": unread_only,
            "at": after[0] if after else None,
            "id": after[1] if after else None,
            "fetch": fetch,
        },
    )


def unread_count(conn: Connection[Any], user_id: UUID) -> int:
    return int(
        fetch_value(
            conn,
            "SELECT count(*) FROM notifications WHERE user_id = %s AND in_app AND read_at IS NULL",
            (user_id,),
        )
        or 0
    )


def mark_read(conn: Connection[Any], user_id: UUID, notification_id: UUID) -> Notification | None:
    row = fetch_one(
        conn,
        Notification,
        f"""UPDATE notifications SET read_at = COALESCE(read_at, now())
             WHERE id = %s AND user_id = %s AND in_app RETURNING {_COLUMNS}""",
        (notification_id, user_id),
    )
    if row is not None:
        conn.execute(
            """UPDATE notification_deliveries SET read_at = %s
                WHERE notification_id = %s AND channel = 'REALTIME' AND read_at IS NULL""",
            (row.read_at, notification_id),
        )
    return row


def mark_all_read(conn: Connection[Any], user_id: UUID) -> int:
    cur = conn.execute(
        """WITH r AS (
               UPDATE notifications SET read_at = now()
                WHERE user_id = %(me)s AND in_app AND read_at IS NULL RETURNING id, read_at
           )
           UPDATE notification_deliveries d SET read_at = r.read_at
             FROM r WHERE d.notification_id = r.id AND d.channel = 'REALTIME'
           RETURNING d.id""",
        {"me": user_id},
    )
    # Every inbox row has its REALTIME delivery, so the deliveries updated count the reads.
    return cur.rowcount


@dataclass(frozen=True, slots=True)
class PreferenceRow:
    category: str
    channel: str
    enabled: bool
    quiet_hours_start: time | None
    quiet_hours_end: time | None


def preferences(conn: Connection[Any], user_id: UUID) -> list[PreferenceRow]:
    return fetch_all(
        conn,
        PreferenceRow,
        """SELECT category, channel, enabled, quiet_hours_start, quiet_hours_end
             FROM notification_preferences WHERE user_id = %s""",
        (user_id,),
    )


def save_preference(
    conn: Connection[Any],
    user_id: UUID,
    category: str,
    channel: str,
    enabled: bool,
    quiet: tuple[Any, Any] | None,
) -> None:
    """Upsert one row; `quiet` None keeps the stored quiet hours, (None, None) clears them."""
    conn.execute(
        """INSERT INTO notification_preferences (user_id, category, channel, enabled,
                                                 quiet_hours_start, quiet_hours_end)
           VALUES (%(me)s, %(category)s, %(channel)s, %(enabled)s, %(start)s, %(end)s)
           ON CONFLICT (user_id, category, channel) DO UPDATE
              SET enabled = EXCLUDED.enabled,
                  quiet_hours_start = CASE WHEN %(keep)s
                      THEN notification_preferences.quiet_hours_start
                      ELSE EXCLUDED.quiet_hours_start END,
                  quiet_hours_end = CASE WHEN %(keep)s
                      THEN notification_preferences.quiet_hours_end
                      ELSE EXCLUDED.quiet_hours_end END""",
        {
            "me": user_id,
            "category": category,
            "channel": channel,
            "enabled": enabled,
            "start": quiet[0] if quiet else None,
            "end": quiet[1] if quiet else None,
            "keep": quiet is None,
        },
    )
