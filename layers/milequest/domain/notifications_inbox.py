"""Reading my notifications (docs/notifications.md): list with cursor, unread count, mark
one or all read, preferences per category and channel."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import notification_inbox as inbox_db
from milequest.domain.errors import NotFound
from milequest.domain.paging import page, window
from milequest.models.base import Page
from milequest.models.notifications import (
    CATEGORIES,
    CHANNELS,
    Notification,
    NotificationQuery,
    Preference,
    Preferences,
    PreferencesIn,
    default_enabled,
)


def list_notifications(conn: Connection[Any], me: UUID, q: NotificationQuery) -> Page[Notification]:
    after, fetch = window(q)
    rows = inbox_db.page(conn, me, after, fetch, q.unread_only)
    return page(rows, q, lambda n: (n.created_at, n.id))


def unread_count(conn: Connection[Any], me: UUID) -> int:
    return inbox_db.unread_count(conn, me)


def mark_read(conn: Connection[Any], me: UUID, notification_id: UUID) -> Notification:
    with conn.transaction():
        row = inbox_db.mark_read(conn, me, notification_id)
    if row is None:
        raise NotFound("Notification not found")
    return row


def mark_all_read(conn: Connection[Any], me: UUID) -> int:
    with conn.transaction():
        return inbox_db.mark_all_read(conn, me)


def _hhmm(value: Any) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def preferences(conn: Connection[Any], me: UUID) -> Preferences:
    """One row per category x channel: the stored ones, defaults for the rest."""
    stored = {(r.category, r.channel): r for r in inbox_db.preferences(conn, me)}
    rows = []
    for category in CATEGORIES:
        for channel in CHANNELS:
            r = stored.get((category, channel))
            rows.append(
                Preference(
                    category=category,
                    channel=channel,
                    enabled=r.enabled if r else default_enabled(category, channel),
                    quiet_hours_start=_hhmm(r.quiet_hours_start) if r else None,
                    quiet_hours_end=_hhmm(r.quiet_hours_end) if r else None,
                )
            )
    return Preferences(preferences=rows)


def update_preferences(conn: Connection[Any], me: UUID, body: PreferencesIn) -> Preferences:
    """Change only the rows (and within them the fields) sent; quiet hours sent as null clear."""
    with conn.transaction():
        current = {(p.category, p.channel): p for p in preferences(conn, me).preferences}
        for change in body.preferences:
            now = current[(change.category, change.channel)]
            sent = change.model_fields_set
            enabled = change.enabled if change.enabled is not None else now.enabled
            quiet = change.quiet_hours() if "quiet_hours_start" in sent else None
            inbox_db.save_preference(conn, me, change.category, change.channel, enabled, quiet)
    return preferences(conn, me)
