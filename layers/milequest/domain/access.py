"""Who may see and do what in a team (docs/domain.md#teams-and-membership).

- A missing or soft-deleted team is 404 for everyone.
- A private team is 404 to non-members: its existence is not disclosed.
- A public team is visible to anyone; member-only actions are 403 for non-members.
- Admin-only actions are 403 for members.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.memberships import TeamAccess, team_access
from milequest.domain.errors import Forbidden, NotFound

ADMIN = "ADMIN"
MEMBER = "MEMBER"


def visible_team(
    conn: Connection[Any], team_id: UUID, user_id: UUID | None, *, lock: bool = False
) -> TeamAccess:
    access = team_access(conn, team_id, user_id, lock=lock)
    if access is None or (access.role is None and not access.is_public):
        raise NotFound("Team not found")
    return access


def require_member(
    conn: Connection[Any], team_id: UUID, user_id: UUID, *, lock: bool = False
) -> TeamAccess:
    access = visible_team(conn, team_id, user_id, lock=lock)
    if access.role is None:
        raise Forbidden("Only team members can do this")
    return access


def require_admin(
    conn: Connection[Any], team_id: UUID, user_id: UUID, *, lock: bool = False
) -> TeamAccess:
    access = require_member(conn, team_id, user_id, lock=lock)
    if access.role != ADMIN:
        raise Forbidden("Only team admins can do this")
    return access
