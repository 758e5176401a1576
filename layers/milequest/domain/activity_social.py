"""Comments and reactions between team-mates (docs/domain.md#social).

Only team-mates (sharing a live team) may see, comment on or react to an activity, and never
a private one; to everyone else it does not exist (404), like the activity itself.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import activities as activities_db
from milequest.db import activity_social as social_db
from milequest.domain.errors import Forbidden, NotFound, ValidationFailed
from milequest.domain.notifications_social import notify_comment, notify_reaction
from milequest.models.activities import EMOJI, Comment, Reaction


def _social_target(conn: Connection[Any], user_id: UUID, activity_id: UUID) -> UUID:
    """The author of an activity the user may interact with."""
    row = activities_db.get(conn, activity_id)
    if row is None or row.is_private:
        raise NotFound("Activity not found")
    if row.user_id != user_id and not activities_db.shares_live_team(conn, user_id, row.user_id):
        raise NotFound("Activity not found")
    return row.user_id


def list_comments(conn: Connection[Any], user_id: UUID, activity_id: UUID) -> list[Comment]:
    _social_target(conn, user_id, activity_id)
    return social_db.comments(conn, activity_id)


def add_comment(conn: Connection[Any], user_id: UUID, activity_id: UUID, text: str) -> Comment:
    with conn.transaction():
        author = _social_target(conn, user_id, activity_id)
        comment = social_db.add_comment(conn, activity_id, user_id, text)
        notify_comment(conn, author, user_id, activity_id, comment.id, text)
        return comment


def delete_comment(
    conn: Connection[Any], user_id: UUID, activity_id: UUID, comment_id: UUID
) -> None:
    with conn.transaction():
        author = _social_target(conn, user_id, activity_id)
        commenter = social_db.comment_author(conn, activity_id, comment_id)
        if commenter is None:
            raise NotFound("Comment not found")
        if commenter != user_id and not social_db.is_admin_of_authors_team(conn, user_id, author):
            raise Forbidden("Only the comment's author or a team admin can delete it")
        social_db.delete_comment(conn, comment_id)


def _emoji(value: str) -> str:
    if value not in EMOJI:
        raise ValidationFailed(
            "Unknown reaction", [{"field": "emoji", "message": f"one of {' '.join(EMOJI)}"}]
        )
    return value


def react(conn: Connection[Any], user_id: UUID, activity_id: UUID, emoji: str) -> Reaction:
    emoji = _emoji(emoji)
    with conn.transaction():
        author = _social_target(conn, user_id, activity_id)
        social_db.react(conn, activity_id, user_id, emoji)
        notify_reaction(conn, author, user_id, activity_id, emoji)
        return social_db.reaction(conn, activity_id, user_id, emoji)


def unreact(conn: Connection[Any], user_id: UUID, activity_id: UUID, emoji: str) -> Reaction:
    emoji = _emoji(emoji)
    with conn.transaction():
        _social_target(conn, user_id, activity_id)
        social_db.unreact(conn, activity_id, user_id, emoji)
        return social_db.reaction(conn, activity_id, user_id, emoji)
