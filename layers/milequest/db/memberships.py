"""Team visibility and membership lookups shared by every team-scoped area."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_one
from milequest.db.teams import lock_team


@dataclass(frozen=True)
class TeamAccess:
    team_id: UUID
    is_public: bool
    role: str | None  # ADMIN | MEMBER for a live member, else None


def team_access(
    conn: Connection[Any], team_id: UUID, user_id: UUID | None, *, lock: bool = False
) -> TeamAccess | None:
    """The live team and the user's live role in it; None when the team is missing or deleted.

    `lock=True` takes a FOR UPDATE lock on the team row: every change to a team's membership
    (join, leave, remove, role change) takes it first, so they serialize per team and rules that
    span rows (member cap, last admin) are checked against a stable state.
    """
    if lock:
        # Lock in its own statement first: under READ COMMITTED the next statement takes a new
        # snapshot, so the role read below reflects every change committed while we waited.
        lock_team(conn, team_id, live_only=True)
    sql = """
        SELECT t.id AS team_id, t.is_public,
               (SELECT m.role FROM team_members m
                 WHERE m.team_id = t.id AND m.user_id = %(user)s AND m.left_at IS NULL) AS role
        FROM teams t
        WHERE t.id = %(team)s AND t.deleted_at IS NULL
    """
    return fetch_one(conn, TeamAccess, sql, {"team": team_id, "user": user_id})
