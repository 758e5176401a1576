"""Rows other areas own, written directly so users tests do not depend on their routes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg


def make_team(db: psycopg.Connection[Any], members: list[tuple[UUID, str]]) -> UUID:
    """A live team with the given (user id, role) members; the first is the creator."""
    tag = uuid.uuid4().hex[:12]
    row = db.execute(
        "INSERT INTO teams (name, invite_code, created_by) VALUES (%s, %s, %s) RETURNING id",
        (f"Team {tag}", f"code{tag}", members[0][0] if members else None),
    ).fetchone()
    assert row is not None
    for user_id, role in members:
        db.execute(
            "INSERT INTO team_members (team_id, user_id, role) VALUES (%s, %s, %s)",
            (row[0], user_id, role),
        )
    return UUID(str(row[0]))


def add_activity(
    db: psycopg.Connection[Any], user_id: UUID, distance: float, *, private: bool = False
) -> UUID:
    row = db.execute(
        """INSERT INTO activities (user_id, distance, duration, activity_at, is_private)
           VALUES (%s, %s, %s, %s, %s) RETURNING id""",
        (user_id, distance, max(1, int(distance * 0.4)), datetime.now(UTC), private),
    ).fetchone()
    assert row is not None
    return UUID(str(row[0]))
