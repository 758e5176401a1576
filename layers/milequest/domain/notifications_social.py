"""Notifications for the author of an activity when team-mates comment or react
(docs/notifications.md). Written in the comment's/reaction's transaction; never for one's own
activity."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.notification_batches import fold_into_recent_reaction
from milequest.db.notifications import notify


def notify_comment(
    conn: Connection[Any],
    author: UUID,
    commenter: UUID,
    activity_id: UUID,
    comment_id: UUID,
    text: str,
) -> None:
    if author == commenter:
        return
    notify(
        conn,
        [author],
        "ACTIVITY_COMMENT",
        "New comment on your walk",
        text,
        data={
            "activityId": str(activity_id),
            "commentId": str(comment_id),
            "userId": str(commenter),
        },
        dedupe_key=f"comment:{comment_id}",
        params={"text": text},
    )


def notify_reaction(
    conn: Connection[Any], author: UUID, reactor: UUID, activity_id: UUID, emoji: str
) -> None:
    if author == reactor or fold_into_recent_reaction(conn, author, activity_id):
        return
    notify(
        conn,
        [author],
        "ACTIVITY_REACTION",
        "New reaction to your walk",
        data={
            "activityId": str(activity_id),
            "userId": str(reactor),
            "emoji": emoji,
            "reactions": 1,
        },
    )
