"""Data export: every row a user owns, section by section, as one JSON document built by
PostgreSQL (docs/domain.md#data-export).

One read-only statement; kept apart from the users table's own SQL because it reads across
every table that holds the user's data. Each section lists its table's columns under their
camelCase names, in the order the `DataExport` model documents; the text is what the API
sends, unparsed (`milequest.db.json_text`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.abc import Buffer
from psycopg.adapt import Loader

from milequest.db.json_text import (
    Field,
    array,
    decimal,
    literal,
    obj,
    obj_around,
    time_of_day,
    timestamp,
    uuid,
    value,
)
from milequest.db.json_text import utc_timestamp as utc

_ME = "%(me)s"

_PROFILE = obj(
    ("id", uuid("u.id")),
    ("email", value("u.email::text")),
    ("name", value("u.name")),
    ("avatarUrl", value("u.avatar_url")),
    ("emailVerified", literal("u.email_verified")),
    ("timezone", value("u.timezone")),
    ("preferredUnits", value("u.preferred_units")),
    ("locale", value("u.locale")),
    ("createdAt", timestamp("u.created_at")),
    ("updatedAt", timestamp("u.updated_at")),
)

_STATS = obj(
    ("totalDistance", decimal("total_distance")),
    ("totalDuration", literal("total_duration")),
    ("totalActivities", literal("total_activities")),
    ("currentStreak", literal("current_streak")),
    ("longestStreak", literal("longest_streak")),
    ("lastActivityAt", timestamp("last_activity_at")),
    ("lastActivityDate", value("last_activity_date")),
)

_MEMBERSHIP = obj(
    ("teamId", uuid("m.team_id")),
    ("teamName", value("t.name::text")),
    ("role", value("m.role")),
    ("joinedAt", timestamp("m.joined_at")),
    ("leftAt", timestamp("m.left_at")),
    ("teamDeletedAt", timestamp("t.deleted_at")),
)

_GOAL = obj(
    ("id", uuid("id")),
    ("teamId", uuid("team_id")),
    ("name", value("name")),
    ("description", value("description")),
    ("status", value("status")),
    ("startLocation", value("start_location")),
    ("endLocation", value("end_location")),
    ("waypoints", value("waypoints")),
    ("targetDistance", decimal("target_distance")),
    ("startDate", timestamp("start_date")),
    ("endDate", timestamp("end_date")),
    ("completedAt", timestamp("completed_at")),
    ("createdAt", timestamp("created_at")),
    ("updatedAt", timestamp("updated_at")),
)

_COMMENT = obj(
    ("id", uuid("id")),
    ("activityId", uuid("activity_id")),
    ("text", value("text")),
    ("createdAt", timestamp("created_at")),
    ("updatedAt", timestamp("updated_at")),
)

_REACTION = obj(
    ("id", uuid("id")),
    ("activityId", uuid("activity_id")),
    ("emoji", value("emoji")),
    ("createdAt", timestamp("created_at")),
)

_ACHIEVEMENT = obj(
    ("key", value("a.key")),
    ("name", value("a.name")),
    ("description", value("a.description")),
    ("category", value("a.category")),
    ("earnedAt", timestamp("ua.earned_at")),
    ("activityId", uuid("ua.activity_id")),
    ("goalId", uuid("ua.goal_id")),
)

_NOTIFICATION = obj(
    ("id", uuid("id")),
    ("teamId", uuid("team_id")),
    ("category", value("category")),
    ("channel", value("channel")),
    ("title", value("title")),
    ("body", value("body")),
    ("data", value("data")),
    ("readAt", timestamp("read_at")),
    ("createdAt", timestamp("created_at")),
)

_DELIVERY = obj(
    ("id", uuid("id")),
    ("notificationId", uuid("notification_id")),
    ("channel", value("channel")),
    ("status", value("status")),
    ("attempts", literal("attempts")),
    ("lastError", value("last_error")),
    ("sentAt", timestamp("sent_at")),
    ("readAt", timestamp("read_at")),
    ("createdAt", timestamp("created_at")),
)

_PUSH_SUBSCRIPTION = obj(
    ("id", uuid("id")),
    ("endpoint", value("endpoint")),
    ("expirationTime", timestamp("expiration_time")),
    ("createdAt", timestamp("created_at")),
    ("updatedAt", timestamp("updated_at")),
)

_SHARE = obj(
    ("shareId", value("share_id")),
    ("activityId", uuid("activity_id")),
    ("createdAt", timestamp("created_at")),
)

_NOTIFICATION_PREFERENCE = obj(
    ("category", value("category")),
    ("channel", value("channel")),
    ("enabled", literal("enabled")),
    ("quietHoursStart", time_of_day("quiet_hours_start")),
    ("quietHoursEnd", time_of_day("quiet_hours_end")),
    ("updatedAt", timestamp("updated_at")),
)

_PREFERENCES = obj(
    ("timezone", value("u.timezone")),
    ("preferredUnits", value("u.preferred_units")),
    ("locale", value("u.locale")),
    (
        "notifications",
        array(
            _NOTIFICATION_PREFERENCE,
            f"notification_preferences WHERE user_id = {_ME}",
            "category, channel",
        ),
    ),
)

_FIELDS: tuple[Field, ...] = (
    # The moment this statement's snapshot was taken: what the document is a picture of.
    ("exportedAt", utc("statement_timestamp()")),
    ("profile", _PROFILE),
    ("stats", f"coalesce((SELECT {_STATS} FROM user_stats WHERE user_id = {_ME}), 'null')"),
    (
        "memberships",
        array(
            _MEMBERSHIP,
            f"team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = {_ME}",
            "m.joined_at, m.id",
        ),
    ),
    # Each walk's entry is stored, rendered when the walk was written (migrations/0870).
    ("activities", array("export_json", f"activities WHERE user_id = {_ME}", "activity_at, id")),
    ("goalsCreated", array(_GOAL, f"team_goals WHERE created_by = {_ME}", "created_at, id")),
    ("comments", array(_COMMENT, f"activity_comments WHERE user_id = {_ME}", "created_at, id")),
    ("reactions", array(_REACTION, f"activity_reactions WHERE user_id = {_ME}", "created_at, id")),
    (
        "achievements",
        array(
            _ACHIEVEMENT,
            "user_achievements ua JOIN achievements a ON a.id = ua.achievement_id"
            f" WHERE ua.user_id = {_ME}",
            "ua.earned_at, a.key",
        ),
    ),
    (
        "notifications",
        array(_NOTIFICATION, f"notifications WHERE user_id = {_ME}", "created_at, id"),
    ),
    (
        "notificationDeliveries",
        array(_DELIVERY, f"notification_deliveries WHERE user_id = {_ME}", "created_at, id"),
    ),
    (
        "pushSubscriptions",
        array(_PUSH_SUBSCRIPTION, f"push_subscriptions WHERE user_id = {_ME}", "created_at, id"),
    ),
    ("shares", array(_SHARE, f"activity_shares WHERE user_id = {_ME}", "created_at, id")),
    ("preferences", _PREFERENCES),
)

# The document in three parts (json_text.obj_around): the activities, ≈ 300 bytes a walk and
# nearly all of a large document, are sent as they are aggregated instead of copied into it.
_HEAD, _ACTIVITIES, _TAIL = obj_around("activities", *_FIELDS)
_EXPORT_SQL = f"SELECT {_HEAD}, {_ACTIVITIES}, {_TAIL} FROM users u WHERE u.id = {_ME}"


@dataclass(frozen=True, slots=True)
class ExportText:
    """The export document (JSON text of the `DataExport` shape) with its UTF-8 length and
    whether it holds a DEL character, which the inline check needs to know of a large one
    (api.responses.fits_lambda_result)."""

    text: str
    utf8_bytes: int
    has_del: bool


class _SentBytes(Loader):
    """A text column as the bytes PostgreSQL sent, decoded by the caller."""

    def load(self, data: Buffer) -> bytes:
        return bytes(data)


def export_document(conn: Connection[Any], user_id: UUID) -> ExportText | None:
    """The user's export as JSON text (the `DataExport` shape), None when there is no such
    user. Every section is the caller's own rows only: each filters on `user_id`.

    The text arrives in three parts (`_EXPORT_SQL`), as bytes joined and decoded here (what
    psycopg's decoding would cost), so that its UTF-8 length and DEL characters are read off
    the bytes (a length and a byte search) instead of from the text (an encoding and a scan
    of a text Python holds 4 bytes a character once it has an emoji: ≈ 1.4 ms at 1.5 MB)."""
    with conn.cursor() as cur:
        cur.adapters.register_loader("text", _SentBytes)
        row = cur.execute(_EXPORT_SQL, {"me": user_id}).fetchone()
    if row is None:
        return None
    head, activities, tail = row
    sent = b"".join((head, activities or b"", tail))
    encoding = conn.info.encoding
    text = sent.decode(encoding)
    if encoding != "utf-8":  # the application's databases are UTF-8; measured the slow way
        return ExportText(text, len(text.encode()), "\x7f" in text)
    return ExportText(text, len(sent), b"\x7f" in sent)
