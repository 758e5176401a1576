"""notification_deliveries rows: the fan-out of a notification to its channels, and the
dispatcher's claim/record queries.

A notification goes out on each channel the recipient has enabled for its category (defaults in
milequest.models.notifications): REALTIME is delivered by being written (SENT at once); EMAIL
needs a live, unsuppressed address; PUSH needs at least one subscription. The dispatcher claims
due EMAIL/PUSH rows one at a time with FOR UPDATE SKIP LOCKED inside its own transaction, so
concurrent dispatchers never take the same row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_one


@dataclass(frozen=True, slots=True)
class Due:
    id: UUID
    notification_id: UUID
    user_id: UUID
    channel: str
    attempts: int
    max_retries: int
    category: str
    title: str
    body: str
    data: dict[str, Any]
    team_id: UUID | None
    email: str
    name: str
    locale: str
    timezone: str
    email_suppressed: bool
    quiet_start: Any
    quiet_end: Any


def fan_out(conn: Connection[Any], notification_ids: list[UUID], category: str) -> None:
    """Create the deliveries of freshly inserted notifications (same transaction)."""
    if not notification_ids:
        return
    # Imported on the first fan-out, not at import: the routes that import this module (via
    # db.notifications) would otherwise build every notification model at cold start.
    from milequest.models.notifications import CHANNELS, DEFAULT_OFF

    off = [ch for ch in CHANNELS if (category, ch) in DEFAULT_OFF]
    conn.execute(
        """WITH n AS (
               SELECT n.id, n.user_id FROM notifications n WHERE n.id = ANY(%(ids)s)
           ), wanted AS (
               SELECT n.id, n.user_id, ch.channel
                 FROM n CROSS JOIN unnest(%(channels)s::text[]) AS ch(channel)
                 LEFT JOIN notification_preferences p
                        ON p.user_id = n.user_id AND p.category = %(category)s
                       AND p.channel = ch.channel
                WHERE COALESCE(p.enabled, NOT (ch.channel = ANY(%(off)s::text[])))
           )
           INSERT INTO notification_deliveries (notification_id, user_id, channel, status,
                                                sent_at)
           SELECT w.id, w.user_id, w.channel,
                  CASE w.channel WHEN 'REALTIME' THEN 'SENT' ELSE 'PENDING' END,
                  CASE w.channel WHEN 'REALTIME' THEN now() END
             FROM wanted w JOIN users u ON u.id = w.user_id
            WHERE u.deleted_at IS NULL
              AND (w.channel <> 'EMAIL' OR u.email_suppressed_at IS NULL)
              AND (w.channel <> 'PUSH'
                   OR EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.user_id = w.user_id))
           ON CONFLICT (notification_id, channel) DO NOTHING""",
        {"ids": notification_ids, "channels": list(CHANNELS), "category": category, "off": off},
    )
    # The inbox lists a notification only when its REALTIME channel is on.
    conn.execute(
        """UPDATE notifications n SET in_app = false
            WHERE n.id = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM notification_deliveries d
                               WHERE d.notification_id = n.id AND d.channel = 'REALTIME')""",
        (notification_ids,),
    )


def claim_one(conn: Connection[Any], now: datetime) -> Due | None:
    """Lock one due EMAIL/PUSH delivery no other dispatcher holds (inside a transaction)."""
    return fetch_one(
        conn,
        Due,
        """WITH d AS (
               SELECT id FROM notification_deliveries
                WHERE status IN ('PENDING', 'DEFERRED') AND next_attempt_at <= %(now)s
                  AND channel IN ('EMAIL', 'PUSH')
                ORDER BY next_attempt_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
           )
           SELECT d.id, d.notification_id, d.user_id, d.channel, d.attempts, d.max_retries,
                  n.category, n.title, n.body, n.data, n.team_id, u.email::text AS email,
                  u.name, u.locale, u.timezone,
                  u.email_suppressed_at IS NOT NULL AS email_suppressed,
                  p.quiet_hours_start AS quiet_start, p.quiet_hours_end AS quiet_end
             FROM notification_deliveries d
             JOIN notifications n ON n.id = d.notification_id
             JOIN users u ON u.id = d.user_id
             LEFT JOIN notification_preferences p
                    ON p.user_id = d.user_id AND p.category = n.category
                   AND p.channel = d.channel
            WHERE d.id = (SELECT id FROM d)""",
        {"now": now},
    )


def mark_sent(conn: Connection[Any], delivery_id: UUID, now: datetime) -> None:
    conn.execute(
        """UPDATE notification_deliveries
              SET status = 'SENT', attempts = attempts + 1, sent_at = %s, last_error = NULL
            WHERE id = %s""",
        (now, delivery_id),
    )


def defer(conn: Connection[Any], delivery_id: UUID, until: datetime) -> None:
    """Quiet hours: wait without spending an attempt."""
    conn.execute(
        """UPDATE notification_deliveries SET status = 'DEFERRED', next_attempt_at = %s
            WHERE id = %s""",
        (until, delivery_id),
    )


def mark_failed_attempt(
    conn: Connection[Any], delivery_id: UUID, error: str, retry_at: datetime | None
) -> None:
    """An attempt failed: retry at `retry_at`, or FAILED for good when it is None."""
    conn.execute(
        """UPDATE notification_deliveries
              SET attempts = attempts + 1, last_error = %s,
                  status = CASE WHEN %s::timestamptz IS NULL THEN 'FAILED' ELSE 'PENDING' END,
                  next_attempt_at = COALESCE(%s::timestamptz, next_attempt_at)
            WHERE id = %s""",
        (error[:2000], retry_at, retry_at, delivery_id),
    )


def suppress_email(conn: Connection[Any], user_id: UUID) -> None:
    """SES will not deliver to this address: stop its pending email too."""
    conn.execute(
        """UPDATE users SET email_suppressed_at = now()
            WHERE id = %s AND email_suppressed_at IS NULL""",
        (user_id,),
    )
    conn.execute(
        """UPDATE notification_deliveries SET status = 'FAILED', last_error = 'address suppressed'
            WHERE user_id = %s AND channel = 'EMAIL' AND status IN ('PENDING', 'DEFERRED')""",
        (user_id,),
    )
