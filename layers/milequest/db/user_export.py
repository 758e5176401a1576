"""Data export: every row a user owns, section by section, as raw column names and values.

One query per owned table, read-only; kept apart from the users table's own SQL because it
reads across every table that holds the user's data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_dicts

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
