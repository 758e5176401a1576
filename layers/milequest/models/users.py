"""Users on the wire: the account, its stats, profile edits, the public profile, the export."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from milequest.models.base import ApiModel, InputModel
from milequest.models.base import Deleted as Deleted  # the routes' import path

Units = Literal["metric", "imperial"]
# The web client's words for the same choice (docs/api.md#auth).
_UNIT_WORDS = {"kilometers": "metric", "miles": "imperial"}


def _unit_word(value: Any) -> Any:
    return _UNIT_WORDS.get(value, value) if isinstance(value, str) else value


# Input: metric/imperial, or the client's kilometers/miles.
UnitsIn = Annotated[Units, BeforeValidator(_unit_word)]

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[^@\s]{{1,64}}@{_LABEL}(?:\.{_LABEL})+$")


def _email(value: str) -> str:
    value = value.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("must be a valid email address")
    return value


# Lower-cased: the pool and the users table treat emails case-insensitively.
Email = Annotated[str, AfterValidator(_email)]


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _timezone(value: str) -> str:
    if value != "UTC" and value not in _zones():
        raise ValueError("must be an IANA time zone name, e.g. Europe/London")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("must be an IANA time zone name, e.g. Europe/London") from None
    return value


TimeZone = Annotated[str, AfterValidator(_timezone)]


def _https_url(value: str) -> str:
    if not re.match(r"^https://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", value):
        raise ValueError("must be an https URL")
    return value


HttpsUrl = Annotated[str, Field(max_length=500), AfterValidator(_https_url)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class User(ApiModel):
    id: UUID
    email: str
    name: str
    avatar_url: str | None = None
    email_verified: bool
    timezone: str
    preferred_units: Units
    locale: str = "en"
    created_at: datetime


class UserStats(ApiModel):
    total_distance: float = 0.0
    total_duration: int = 0
    total_activities: int = 0
    average_pace: float | None = None  # seconds per kilometre
    current_streak: int = 0
    longest_streak: int = 0
    last_activity_at: datetime | None = None


class Me(ApiModel):
    user: User
    stats: UserStats


class UpdateMe(InputModel):
    name: Name | None = None
    avatar_url: HttpsUrl | None = None
    timezone: TimeZone | None = None
    preferred_units: UnitsIn | None = None
    locale: str | None = Field(default=None, max_length=35)

    @field_validator("name", "timezone", "preferred_units", "locale", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # avatarUrl may be null (clears it); the others may be omitted but not nulled.
        if value is None:
            raise ValueError("may be omitted but not null")
        return value

    def changes(self) -> dict[str, Any]:
        """Only the fields the client sent (an explicit null avatarUrl clears it)."""
        return {f: getattr(self, f) for f in self.model_fields_set}


class PublicStats(ApiModel):
    """Totals of the user's non-private activities only."""

    total_distance: float = 0.0
    total_activities: int = 0


class PublicProfile(ApiModel):
    id: UUID
    name: str
    avatar_url: str | None = None
    stats: PublicStats


class DataExport(ApiModel):
    """Everything the user owns. Sections are lists of rows with camelCase keys."""

    exported_at: datetime
    profile: dict[str, Any]
    stats: dict[str, Any] | None
    memberships: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    goals_created: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    reactions: list[dict[str, Any]]
    achievements: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    notification_deliveries: list[dict[str, Any]] = []
    push_subscriptions: list[dict[str, Any]] = []
    shares: list[dict[str, Any]] = []
    # timezone, preferredUnits and the notification preferences
    preferences: dict[str, Any]


class ExportDownload(ApiModel):
    """Where an export too large to answer inline is (`303 See Other`, `Location` = `url`): a
    presigned GET of the one JSON document, valid until `expires_at`."""

    url: str
    expires_at: datetime
    size: int  # bytes of the document
