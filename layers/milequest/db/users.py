"""users rows: lookup by identity, accounts, profile, public profile, deletion."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection, sql

from milequest.db.rows import fetch_dict, fetch_dicts, fetch_one, fetch_value
from milequest.models.users import User


def live_id_by_cognito_id(conn: Connection[Any], cognito_id: str) -> UUID | None:
    return fetch_value(
        conn, "SELECT id FROM users WHERE cognito_id = %s AND deleted_at IS NULL", (cognito_id,)
    )


def insert_from_identity(
    conn: Connection[Any], cognito_id: str, email: str, name: str, email_verified: bool
) -> UUID | None:
    """Create the user and its stats row; None when a live user already holds the identity
    or the email (a concurrent first request, or an email taken by another account), or when
    the identity belongs to a deleted account (its tokens stay valid until they expire, and
    must not bring the account back)."""
    with conn.transaction():
        user_id = fetch_value(
            conn,
            """INSERT INTO users (cognito_id, email, name, email_verified)
               SELECT %(sub)s, %(email)s, %(name)s, %(verified)s
                WHERE NOT EXISTS (SELECT 1 FROM users
                                   WHERE cognito_id = %(sub)s AND deleted_at IS NOT NULL)
               ON CONFLICT DO NOTHING RETURNING id""",
            {"sub": cognito_id, "email": email, "name": name, "verified": email_verified},
        )
        if user_id is not None:
            conn.execute("INSERT INTO user_stats (user_id) VALUES (%s)", (user_id,))
        return user_id


# --- accounts (registration, sign-in) ---------------------------------------------------------

_USER_COLUMNS = """id, email::text AS email, name, avatar_url, email_verified, timezone,
                   preferred_units, locale, created_at"""


def insert_user(
    conn: Connection[Any],
    cognito_id: str,
    email: str,
    email_verified: bool,
    *,
    name: str,
    timezone: str,
    preferred_units: str,
) -> UUID | None:
    """A new user (and its stats row) for a fresh registration; None when a live user already
    holds the identity or the email."""
    with conn.transaction():
        user_id = fetch_value(
            conn,
            """INSERT INTO users (cognito_id, email, name, email_verified, timezone,
                                  preferred_units)
               VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id""",
            (cognito_id, email, name, email_verified, timezone, preferred_units),
        )
        if user_id is not None:
            conn.execute("INSERT INTO user_stats (user_id) VALUES (%s)", (user_id,))
        return user_id


def relink_by_email(
    conn: Connection[Any],
    email: str,
    cognito_id: str,
    *,
    email_verified: bool,
    profile: dict[str, Any] | None = None,
) -> UUID | None:
    """Move the live row holding `email` (under another identity) to `cognito_id`; with
    `profile`, its name/timezone/units are reset to the registration's values."""
    profile = profile or {}
    return fetch_value(
        conn,
        """UPDATE users
              SET cognito_id = %(sub)s,
                  email_verified = %(verified)s,
                  name = COALESCE(%(name)s, name),
                  timezone = COALESCE(%(timezone)s, timezone),
                  preferred_units = COALESCE(%(units)s, preferred_units)
            WHERE email = %(email)s AND deleted_at IS NULL AND cognito_id <> %(sub)s
        RETURNING id""",
        {
            "sub": cognito_id,
            "verified": email_verified,
            "email": email,
            "name": profile.get("name"),
            "timezone": profile.get("timezone"),
            "units": profile.get("preferred_units"),
        },
    )


def mark_email_verified(conn: Connection[Any], email: str) -> None:
    conn.execute(
        """UPDATE users SET email_verified = true
            WHERE email = %s AND deleted_at IS NULL AND NOT email_verified""",
        (email,),
    )


def mark_verified(conn: Connection[Any], user_id: UUID) -> None:
    conn.execute(
        "UPDATE users SET email_verified = true WHERE id = %s AND NOT email_verified", (user_id,)
    )


def is_deleted_identity(conn: Connection[Any], cognito_id: str) -> bool:
    """True when the identity belongs to a deleted account and to no live one."""
    return bool(
        fetch_value(
            conn,
            """SELECT EXISTS (SELECT 1 FROM users WHERE cognito_id = %(sub)s
                                                  AND deleted_at IS NOT NULL)
                  AND NOT EXISTS (SELECT 1 FROM users WHERE cognito_id = %(sub)s
                                                      AND deleted_at IS NULL)""",
            {"sub": cognito_id},
        )
    )


def live_user(conn: Connection[Any], user_id: UUID) -> User | None:
    return fetch_one(
        conn,
        User,
        f"SELECT {_USER_COLUMNS} FROM users WHERE id = %s AND deleted_at IS NULL",
        (user_id,),
    )


# --- the signed-in user's profile ---------------------------------------------------------------


def stats(conn: Connection[Any], user_id: UUID) -> dict[str, Any] | None:
    return fetch_dict(
        conn,
        """SELECT total_distance, total_duration, total_activities, current_streak,
                  longest_streak, last_activity_at
             FROM user_stats WHERE user_id = %s""",
        (user_id,),
    )


_UPDATABLE = {
    "name": "name",
    "avatar_url": "avatar_url",
    "timezone": "timezone",
    "preferred_units": "preferred_units",
    "locale": "locale",
}


def update_profile(conn: Connection[Any], user_id: UUID, changes: dict[str, Any]) -> User | None:
    if not changes:
        return live_user(conn, user_id)
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(_UPDATABLE[field]), sql.Placeholder(field))
        for field in changes
    )
    query = sql.SQL(
        "UPDATE users SET {} WHERE id = %(id)s AND deleted_at IS NULL RETURNING "
    ).format(assignments) + sql.SQL(_USER_COLUMNS)
    return fetch_one(conn, User, query.as_string(conn), {**changes, "id": user_id})


def public_profile(conn: Connection[Any], viewer_id: UUID, user_id: UUID) -> dict[str, Any] | None:
    """Name, avatar and public-activity totals of a live user who is the viewer or shares a
    live team with the viewer; None otherwise."""
    return fetch_dict(
        conn,
        """SELECT u.id, u.name, u.avatar_url,
                  COALESCE((SELECT sum(a.distance) FROM activities a
                             WHERE a.user_id = u.id AND NOT a.is_private), 0) AS total_distance,
                  (SELECT count(*) FROM activities a
                    WHERE a.user_id = u.id AND NOT a.is_private) AS total_activities
             FROM users u
            WHERE u.id = %(user)s AND u.deleted_at IS NULL
              AND (u.id = %(viewer)s OR EXISTS (
                    SELECT 1
                      FROM team_members mine
                      JOIN team_members theirs
                        ON theirs.team_id = mine.team_id AND theirs.left_at IS NULL
                      JOIN teams t ON t.id = mine.team_id AND t.deleted_at IS NULL
                     WHERE mine.user_id = %(viewer)s AND mine.left_at IS NULL
                       AND theirs.user_id = u.id))""",
        {"user": user_id, "viewer": viewer_id},
    )


# --- account deletion ---------------------------------------------------------------------------


def lock_live(conn: Connection[Any], user_id: UUID) -> dict[str, Any] | None:
    return fetch_dict(
        conn,
        """SELECT id, cognito_id, email::text AS email FROM users
            WHERE id = %s AND deleted_at IS NULL FOR UPDATE""",
        (user_id,),
    )


def live_memberships(conn: Connection[Any], user_id: UUID) -> list[dict[str, Any]]:
    """The user's live memberships of live teams, in team id order (the lock order)."""
    return fetch_dicts(
        conn,
        """SELECT m.team_id, m.role FROM team_members m
             JOIN teams t ON t.id = m.team_id AND t.deleted_at IS NULL
            WHERE m.user_id = %s AND m.left_at IS NULL
            ORDER BY m.team_id""",
        (user_id,),
    )


def lock_team_members(conn: Connection[Any], team_id: UUID, user_id: UUID) -> dict[str, Any]:
    """Lock the team row (the membership-change lock), then count the other live members and
    the other live admins."""
    conn.execute("SELECT 1 FROM teams WHERE id = %s FOR UPDATE", (team_id,))
    row = fetch_dict(
        conn,
        """SELECT count(*) AS others,
                  count(*) FILTER (WHERE role = 'ADMIN') AS other_admins
             FROM team_members
            WHERE team_id = %s AND left_at IS NULL AND user_id <> %s""",
        (team_id, user_id),
    )
    assert row is not None
    return row


def soft_delete_team(conn: Connection[Any], team_id: UUID) -> None:
    conn.execute(
        "UPDATE teams SET deleted_at = now() WHERE id = %s AND deleted_at IS NULL", (team_id,)
    )


def end_memberships(conn: Connection[Any], user_id: UUID) -> int:
    cur = conn.execute(
        "UPDATE team_members SET left_at = now() WHERE user_id = %s AND left_at IS NULL",
        (user_id,),
    )
    return cur.rowcount


def revoke_pending_invites(conn: Connection[Any], user_id: UUID, email: str) -> None:
    conn.execute(
        """UPDATE team_invites SET status = 'REVOKED'
            WHERE status = 'PENDING' AND (user_id = %s OR email = %s)""",
        (user_id, email),
    )


def scrub(conn: Connection[Any], user_id: UUID) -> None:
    """Soft delete and remove personal data; the email becomes a non-identifying placeholder
    so the address can register again."""
    conn.execute(
        """UPDATE users
              SET deleted_at = now(), name = 'Deleted user', avatar_url = NULL,
                  email = 'deleted+' || id::text || '@deleted.invalid', email_verified = false
            WHERE id = %s""",
        (user_id,),
    )
    conn.execute("DELETE FROM notification_preferences WHERE user_id = %s", (user_id,))


# --- data export --------------------------------------------------------------------------------

_EXPORT_SQL: dict[str, str] = {
    "profile": """
        SELECT id, email::text AS email, name, avatar_url, email_verified, timezone,
               preferred_units, locale, created_at, updated_at
          FROM users WHERE id = %(me)s""",
    "stats": """
        SELECT total_distance, total_duration, total_activities, current_streak, longest_streak,
               last_activity_at, last_activity_date
          FROM user_stats WHERE user_id = %(me)s""",
    "memberships": """
        SELECT m.team_id, t.name::text AS team_name, m.role, m.joined_at, m.left_at,
               t.deleted_at AS team_deleted_at
          FROM team_members m JOIN teams t ON t.id = m.team_id
         WHERE m.user_id = %(me)s ORDER BY m.joined_at, m.id""",
    "activities": """
        SELECT id, distance, duration, pace, activity_at, notes, is_private, source, external_id,
               created_at, updated_at,
               CASE WHEN location IS NOT NULL THEN jsonb_build_object(
                   'lat', ST_Y(location::geometry), 'lng', ST_X(location::geometry)) END
                   AS location
          FROM activities WHERE user_id = %(me)s ORDER BY activity_at, id""",
    "goals_created": """
        SELECT id, team_id, name, description, status, start_location, end_location, waypoints,
               target_distance, start_date, end_date, completed_at, created_at, updated_at
          FROM team_goals WHERE created_by = %(me)s ORDER BY created_at, id""",
    "comments": """
        SELECT id, activity_id, text, created_at, updated_at
          FROM activity_comments WHERE user_id = %(me)s ORDER BY created_at, id""",
    "reactions": """
        SELECT id, activity_id, emoji, created_at
          FROM activity_reactions WHERE user_id = %(me)s ORDER BY created_at, id""",
    "achievements": """
        SELECT a.key, a.name, a.description, a.category, ua.earned_at, ua.activity_id,
               ua.goal_id
          FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id
         WHERE ua.user_id = %(me)s ORDER BY ua.earned_at, a.key""",
    "notifications": """
        SELECT id, team_id, category, channel, title, body, data, read_at, created_at
          FROM notifications WHERE user_id = %(me)s ORDER BY created_at, id""",
    "notification_deliveries": """
        SELECT id, notification_id, channel, status, attempts, last_error, sent_at, read_at,
               created_at
          FROM notification_deliveries WHERE user_id = %(me)s ORDER BY created_at, id""",
    "push_subscriptions": """
        SELECT id, endpoint, expiration_time, created_at, updated_at
          FROM push_subscriptions WHERE user_id = %(me)s ORDER BY created_at, id""",
    "shares": """
        SELECT share_id, activity_id, created_at
          FROM activity_shares WHERE user_id = %(me)s ORDER BY created_at, id""",
    "notification_preferences": """
        SELECT category, channel, enabled, quiet_hours_start, quiet_hours_end, updated_at
          FROM notification_preferences WHERE user_id = %(me)s ORDER BY category, channel""",
}


def export_rows(conn: Connection[Any], user_id: UUID) -> dict[str, list[dict[str, Any]]]:
    """Every row the user owns, section by section (raw column names and values)."""
    return {
        section: fetch_dicts(conn, query, {"me": user_id}) for section, query in _EXPORT_SQL.items()
    }
