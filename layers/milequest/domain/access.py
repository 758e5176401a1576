"""Who may see and do what in a team (docs/domain.md#teams-and-membership).

- A missing or soft-deleted team is 404 for everyone.
- A private team is 404 to non-members: its existence is not disclosed.
- A public team is visible to anyone; member-only actions are 403 for non-members.
- Admin-only actions are 403 for members.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.memberships import TeamAccess, team_access
from milequest.domain.errors import Forbidden, NotFound

ADMIN = "ADMIN"
MEMBER = "MEMBER"


def team_access_at_least(
    conn: Connection[Any],
    team_id: UUID,
    user_id: UUID | None,
    *,
    needs: str | None,
    lock: bool = False,
) -> TeamAccess:
    """The user's access to a team they may see, holding at least the role `needs` (None: any
    visitor of a public team)."""
    access = team_access(conn, team_id, user_id, lock=lock)
    if access is None or (access.role is None and not access.is_public):
        raise NotFound("Team not found")
    if needs is not None and access.role is None:
        raise Forbidden("Only team members can do this")
    if needs == ADMIN and access.role != ADMIN:
        raise Forbidden("Only team admins can do this")
    return access


visible_team = partial(team_access_at_least, needs=None)
require_member = partial(team_access_at_least, needs=MEMBER)
require_admin = partial(team_access_at_least, needs=ADMIN)
