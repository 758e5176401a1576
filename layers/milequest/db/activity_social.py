"""activity_comments and activity_reactions rows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_all, fetch_one, fetch_value
from milequest.models.activities import Comment, Reaction

_COMMENT = """SELECT c.id, c.activity_id, c.user_id, u.name AS author_name, c.text, c.created_at
              FROM activity_comments c JOIN users u ON u.id = c.user_id"""


def comments(conn: Connection[Any], activity_id: UUID) -> list[Comment]:
    return fetch_all(
        conn,
        Comment,
        _COMMENT + " WHERE c.activity_id = %s ORDER BY c.created_at, c.id LIMIT 500",
        (activity_id,),
    )


def add_comment(conn: Connection[Any], activity_id: UUID, user_id: UUID, text: str) -> Comment:
    new_id = fetch_value(
        conn,
        "INSERT INTO activity_comments (activity_id, user_id, text) VALUES (%s, %s, %s) "
        "RETURNING id",
        (activity_id, user_id, text),
    )
    row = fetch_one(conn, Comment, _COMMENT + " WHERE c.id = %s", (new_id,))
    assert row is not None
    return row


def comment_author(conn: Connection[Any], activity_id: UUID, comment_id: UUID) -> UUID | None:
    return fetch_value(
        conn,
        "SELECT user_id FROM activity_comments WHERE id = %s AND activity_id = %s",
        (comment_id, activity_id),
    )


def delete_comment(conn: Connection[Any], comment_id: UUID) -> None:
    conn.execute("DELETE FROM activity_comments WHERE id = %s", (comment_id,))


def react(conn: Connection[Any], activity_id: UUID, user_id: UUID, emoji: str) -> None:
    conn.execute(
        """INSERT INTO activity_reactions (activity_id, user_id, emoji) VALUES (%s, %s, %s)
           ON CONFLICT (activity_id, user_id, emoji) DO NOTHING""",
        (activity_id, user_id, emoji),
    )


def unreact(conn: Connection[Any], activity_id: UUID, user_id: UUID, emoji: str) -> None:
    conn.execute(
        "DELETE FROM activity_reactions WHERE activity_id = %s AND user_id = %s AND emoji = %s",
        (activity_id, user_id, emoji),
    )


def reaction(conn: Connection[Any], activity_id: UUID, user_id: UUID, emoji: str) -> Reaction:
    row = fetch_one(
        conn,
        Reaction,
        """SELECT %(a)s::uuid AS activity_id, %(e)s AS emoji, count(*)::int AS count,
                  coalesce(bool_or(user_id = %(u)s), false) AS reacted
           FROM activity_reactions WHERE activity_id = %(a)s AND emoji = %(e)s""",
        {"a": activity_id, "u": user_id, "e": emoji},
    )
    assert row is not None
    return row


def is_admin_of_authors_team(conn: Connection[Any], user_id: UUID, author_id: UUID) -> bool:
    """True when `user_id` is a live admin of a live team the author is a live member of."""
    return bool(
        fetch_value(
            conn,
            """SELECT EXISTS (
                   SELECT 1 FROM team_members adm
                   JOIN team_members m ON m.team_id = adm.team_id AND m.user_id = %s
                                      AND m.left_at IS NULL
                   JOIN teams t ON t.id = adm.team_id AND t.deleted_at IS NULL
                   WHERE adm.user_id = %s AND adm.role = 'ADMIN' AND adm.left_at IS NULL)""",
            (author_id, user_id),
        )
    )
