"""Shared helpers for the Teams integration tests."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.api import TestUser, call


def unique(prefix: str = "Team") -> str:
    return f"{prefix} {uuid.uuid4().hex[:12]}"


def create_team(
    admin: TestUser, *, public: bool = False, name: str | None = None
) -> dict[str, Any]:
    r = call(
        "POST",
        "/teams",
        user=admin,
        json_body={"name": name or unique(), "isPublic": public},
    )
    assert r.status == 201, r.body
    return r.data  # type: ignore[no-any-return]


def join(user: TestUser, team: dict[str, Any]) -> None:
    r = call("POST", "/teams/join", user=user, json_body={"inviteCode": team["inviteCode"]})
    assert r.status == 200, r.body


def add_member(db: Any, team_id: Any, user_id: Any, role: str = "MEMBER") -> None:
    """Insert a live membership directly (for tests not about joining)."""
    db.execute(
        "INSERT INTO team_members (team_id, user_id, role) VALUES (%s, %s, %s)",
        (team_id, user_id, role),
    )


def live_role(db: Any, team_id: Any, user_id: Any) -> str | None:
    """The user's role in the team while a live member; None otherwise."""
    row = db.execute(
        "SELECT role FROM team_members WHERE team_id = %s AND user_id = %s AND left_at IS NULL",
        (team_id, user_id),
    ).fetchone()
    return None if row is None else row[0]
