"""notifications rows: the one way any area creates in-app notifications.

Called inside the caller's write transaction, so a notification exists exactly when the event
that caused it committed. `dedupe_key` makes "notify once" a database fact: a second insert for
the same event and user is silently skipped by the unique (user_id, channel, dedupe_key) index.

Texts are rendered per recipient in their locale from the message catalogs (milequest.i18n),
filled with the names behind the ids in `data`; the caller's English `title`/`body` stand when
the category's texts cannot be filled. Each new notification fans out to the recipient's enabled
channels as tracked deliveries (milequest.db.deliveries) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from psycopg import Connection
from psycopg.types.json import Jsonb

if TYPE_CHECKING:  # a type only: importing the module builds the notification models
    from milequest.models.notifications import Category


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
    params: dict[str, Any] | None = None,
) -> int:
    """Create one notification per user (and its deliveries); returns how many were new.

    `params` are extra fields for the texts that are not kept in `data` (e.g. a comment)."""
    # Imported here: the texts and the fan-out are only the notifying writes' cold start, not
    # that of every read route whose area also writes.
    from milequest.db.deliveries import fan_out
    from milequest.db.notification_texts import locales_of, params_for
    from milequest.i18n.notifications import render_notification

    users = sorted(set(user_ids))
    if not users:
        return 0
    fields = {**params_for(conn, data or {}, team_id), **(params or {})}
    by_locale: dict[str, list[UUID]] = {}
    for user, locale in locales_of(conn, users).items():
        by_locale.setdefault(locale, []).append(user)
    created: list[UUID] = []
    for locale, group in sorted(by_locale.items()):
        texts = render_notification(locale, category, fields) or (title, body)
        rows = conn.execute(
            """INSERT INTO notifications (user_id, team_id, category, channel, title, body,
                                          data, dedupe_key, status, sent_at)
               SELECT u, %(team)s, %(category)s, 'REALTIME', %(title)s, %(body)s, %(data)s,
                      %(dedupe)s, 'SENT', now()
               FROM unnest(%(users)s::uuid[]) AS u
               ON CONFLICT (user_id, channel, dedupe_key) DO NOTHING
               RETURNING id""",
            {
                "users": sorted(group),
                "team": team_id,
                "category": category,
                "title": texts[0][:200] or title[:200],
                "body": texts[1][:2000],
                "data": Jsonb(data or {}),
                "dedupe": dedupe_key,
            },
        ).fetchall()
        created.extend(r[0] for r in rows)
    fan_out(conn, created, category)
    return len(created)


def live_member_ids(conn: Connection[Any], team_id: UUID) -> list[UUID]:
    rows = conn.execute(
        "SELECT user_id FROM team_members WHERE team_id = %s AND left_at IS NULL", (team_id,)
    ).fetchall()
    return [r[0] for r in rows]


def delete_preferences(conn: Connection[Any], user_id: UUID) -> None:
    conn.execute("DELETE FROM notification_preferences WHERE user_id = %s", (user_id,))
