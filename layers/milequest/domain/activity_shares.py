"""Sharing an activity as a public card (docs/domain.md#social).

The share id is 128 random bits, base64url (22 characters): unguessable, so the card needs no
authentication. The card is computed on each request ("as of now"); a share disappears with the
activity, when it turns private, and with the owner's account (database triggers, migration
0400), so no code path can forget it.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.config import get_settings
from milequest.db import activities as activities_db
from milequest.db import shares as shares_db
from milequest.domain.errors import Conflict, NotFound
from milequest.domain.goal_progress import position_along, route_points, segment_lengths
from milequest.domain.percent import percent_complete
from milequest.models.shares import ShareCard, ShareCreated, ShareGoal, SharePosition, ShareTeam

_SHARE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _own_activity(conn: Connection[Any], me: UUID, activity_id: UUID, lock: bool) -> Any:
    row = activities_db.get(conn, activity_id, lock=lock)
    if row is None or row.user_id != me:
        raise NotFound("Activity not found")
    return row


def _created(share_id: str) -> ShareCreated:
    base = get_settings().public_base_url.rstrip("/")
    return ShareCreated(share_id=share_id, url=f"{base}/shares/{share_id}")


def share(conn: Connection[Any], me: UUID, activity_id: UUID) -> tuple[ShareCreated, bool]:
    """(the share, created). Sharing the same activity again answers the same share."""
    with conn.transaction():
        row = _own_activity(conn, me, activity_id, lock=True)
        if row.is_private:
            raise Conflict("A private activity cannot be shared")
        existing = shares_db.share_of(conn, activity_id)
        if existing is not None:
            return _created(existing), False
        return _created(shares_db.insert(conn, secrets.token_urlsafe(16), activity_id, me)), True


def unshare(conn: Connection[Any], me: UUID, activity_id: UUID) -> None:
    with conn.transaction():
        _own_activity(conn, me, activity_id, lock=True)
        if not shares_db.delete(conn, activity_id):
            raise NotFound("Activity is not shared")


def card(conn: Connection[Any], share_id: str) -> ShareCard:
    row = shares_db.card(conn, share_id) if _SHARE_ID.match(share_id) else None
    if row is None:
        raise NotFound("Share not found")
    goal_row = shares_db.first_goal(conn, row.user_id, row.activity_at)
    team = goal = None
    if goal_row is not None:
        team = ShareTeam(name=goal_row.team_name)
        total, target = float(goal_row.total_distance), float(goal_row.target_distance)
        points = route_points(goal_row.route_data)
        lengths = segment_lengths(goal_row.route_data)
        where = position_along(points, lengths, min(total, target)) if points else None
        goal = ShareGoal(
            name=goal_row.goal_name,
            percent_complete=percent_complete(total, target),
            current_position=SharePosition(lat=where.position.lat, lng=where.position.lng)
            if where
            else None,
        )
    return ShareCard.model_validate(row).model_copy(update={"team": team, "goal": goal})
