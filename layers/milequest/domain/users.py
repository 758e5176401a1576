"""The signed-in user's profile, and other users' public profiles (docs/api.md#users)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import user_stats as stats_db
from milequest.db import users as users_db
from milequest.domain.errors import NotFound, Unauthorized, ValidationFailed
from milequest.domain.local_days import current_streak
from milequest.i18n import SUPPORTED, match_locale
from milequest.models.users import Me, PublicProfile, UpdateMe, User, UserStats


def stats_of(row: stats_db.StatsRow | None) -> UserStats:
    if row is None:
        return UserStats()
    stats = UserStats.model_validate(row)
    distance, duration = stats.total_distance, stats.total_duration
    # seconds per kilometre over every activity (distances are metres)
    pace = round(duration / (distance / 1000), 2) if distance > 0 else None
    return stats.model_copy(update={"average_pace": pace})


def live_user(conn: Connection[Any], user_id: UUID) -> User:
    """The caller's live account; 401 when it was deleted meanwhile."""
    user = users_db.live_user(conn, user_id)
    if user is None:
        raise Unauthorized("This account cannot be used")
    return User.model_validate(user)


def _my_stats(conn: Connection[Any], me: UUID) -> UserStats:
    # The stored streak ends at the last active local day; it is current only through
    # yesterday in the user's timezone.
    row = stats_db.get(conn, me)
    current = 0 if row is None else current_streak(row)
    return stats_of(row).model_copy(update={"current_streak": current})


def get_me(conn: Connection[Any], me: UUID) -> Me:
    return Me(user=live_user(conn, me), stats=_my_stats(conn, me))


def update_me(conn: Connection[Any], me: UUID, body: UpdateMe) -> Me:
    changes = body.changes()
    if "locale" in changes:
        changes["locale"] = supported_locale(changes["locale"])
    with conn.transaction():
        user = users_db.update_profile(conn, me, changes)
        if user is None:
            raise Unauthorized("This account cannot be used")
        if "timezone" in changes:
            # Imported here: the activity write path is only a timezone change's cold start.
            from milequest.domain.activity_log import restate_streak

            restate_streak(conn, me)  # local days moved with the timezone
    return Me(user=User.model_validate(user), stats=_my_stats(conn, me))


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
    return PublicProfile.model_validate(row)
