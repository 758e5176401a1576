"""The signed-in user's profile, and other users' public profiles (docs/api.md#users)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import users as users_db
from milequest.domain.activity_log import restate_streak
from milequest.domain.activity_reads import streak
from milequest.domain.errors import NotFound, Unauthorized, ValidationFailed
from milequest.i18n import SUPPORTED, match_locale
from milequest.models.users import Me, PublicProfile, PublicStats, UpdateMe, User, UserStats


def stats_of(row: dict[str, Any] | None) -> UserStats:
    if row is None:
        return UserStats()
    distance = float(row["total_distance"] or 0)
    duration = int(row["total_duration"] or 0)
    return UserStats(
        total_distance=distance,
        total_duration=duration,
        total_activities=int(row["total_activities"] or 0),
        # seconds per kilometre over every activity (distances are metres)
        average_pace=round(duration / (distance / 1000), 2) if distance > 0 else None,
        current_streak=int(row["current_streak"] or 0),
        longest_streak=int(row["longest_streak"] or 0),
        last_activity_at=row["last_activity_at"],
    )


def _live(conn: Connection[Any], user_id: UUID) -> User:
    user = users_db.live_user(conn, user_id)
    if user is None:
        raise Unauthorized("This account cannot be used")
    return user


def _my_stats(conn: Connection[Any], me: UUID) -> UserStats:
    # The stored streak ends at the last active local day; it is current only through
    # yesterday in the user's timezone.
    stats = stats_of(users_db.stats(conn, me))
    return stats.model_copy(update={"current_streak": streak(conn, me).current_streak})


def get_me(conn: Connection[Any], me: UUID) -> Me:
    return Me(user=_live(conn, me), stats=_my_stats(conn, me))


def update_me(conn: Connection[Any], me: UUID, body: UpdateMe) -> Me:
    changes = body.changes()
    if "locale" in changes:
        changes["locale"] = supported_locale(changes["locale"])
    with conn.transaction():
        user = users_db.update_profile(conn, me, changes)
        if user is None:
            raise Unauthorized("This account cannot be used")
        if "timezone" in changes:
            restate_streak(conn, me)  # local days moved with the timezone
    return Me(user=user, stats=_my_stats(conn, me))


def supported_locale(value: str) -> str:
    """The supported locale `value` names (case-insensitively), else 400 listing them."""
    locale = match_locale(value)
    if locale is None:
        raise ValidationFailed(
            "Unsupported locale",
            [{"field": "locale", "message": f"one of {', '.join(SUPPORTED)}"}],
        )
    return locale


def public_profile(conn: Connection[Any], viewer: UUID, user_id: UUID) -> PublicProfile:
    row = users_db.public_profile(conn, viewer, user_id)
    if row is None:
        raise NotFound("User not found")
    return PublicProfile(
        id=row["id"],
        name=row["name"],
        avatar_url=row["avatar_url"],
        stats=PublicStats(
            total_distance=float(row["total_distance"]),
            total_activities=int(row["total_activities"]),
        ),
    )
