"""Notifications on the wire: the inbox item, preferences, Web Push subscriptions, shares."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any, Literal
from uuid import UUID

from pydantic import Field, field_validator, model_validator

from milequest.models.base import ApiModel, InputModel, PageQuery

Category = Literal[
    "MEMBER_JOINED",
    "GOAL_CREATED",
    "MILESTONE",
    "GOAL_COMPLETED",
    "GOAL_FAILED",
    "ACHIEVEMENT_EARNED",
    "INVITE_RECEIVED",
    "ACTIVITY_COMMENT",
    "ACTIVITY_REACTION",
]
Channel = Literal["REALTIME", "EMAIL", "PUSH"]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
CHANNELS: tuple[str, ...] = Channel.__args__  # type: ignore[attr-defined]
# Every channel is on by default except email for comments and reactions, which would make a
# busy team's inbox an email flood; users turn it on in their preferences.
DEFAULT_OFF: frozenset[tuple[str, str]] = frozenset(
    {("ACTIVITY_COMMENT", "EMAIL"), ("ACTIVITY_REACTION", "EMAIL")}
)


def default_enabled(category: str, channel: str) -> bool:
    return (category, channel) not in DEFAULT_OFF


class Notification(ApiModel):
    id: UUID
    category: str
    title: str
    body: str
    data: dict[str, Any]
    team_id: UUID | None = None
    read_at: datetime | None = None
    created_at: datetime


class NotificationQuery(PageQuery):
    unread_only: bool = False


class UnreadCount(ApiModel):
    count: int


class ReadAll(ApiModel):
    updated: int


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Preference(ApiModel):
    category: Category
    channel: Channel
    enabled: bool
    quiet_hours_start: str | None = None
    quiet_hours_end: str | None = None


class PreferenceIn(InputModel):
    category: Category
    channel: Channel
    enabled: bool | None = None
    quiet_hours_start: str | None = None
    quiet_hours_end: str | None = None

    @field_validator("quiet_hours_start", "quiet_hours_end")
    @classmethod
    def _hhmm(cls, value: str | None) -> str | None:
        if value is not None and not _HHMM.match(value):
            raise ValueError("must be a time HH:MM (00:00-23:59)")
        return value

    @model_validator(mode="after")
    def _both_or_neither(self) -> PreferenceIn:
        if (self.quiet_hours_start is None) != (self.quiet_hours_end is None):
            raise ValueError("quietHoursStart and quietHoursEnd: both or neither")
        return self

    def quiet_hours(self) -> tuple[time | None, time | None]:
        if self.quiet_hours_start is None or self.quiet_hours_end is None:
            return None, None
        return time.fromisoformat(self.quiet_hours_start), time.fromisoformat(self.quiet_hours_end)


class Preferences(ApiModel):
    preferences: list[Preference]


class PreferencesIn(InputModel):
    preferences: list[PreferenceIn] = Field(max_length=len(CATEGORIES) * len(CHANNELS))


class VapidPublicKey(ApiModel):
    public_key: str


class SubscriptionKeys(InputModel):
    p256dh: str = Field(min_length=80, max_length=100)
    auth: str = Field(min_length=16, max_length=32)


class PushSubscriptionIn(InputModel):
    endpoint: str = Field(min_length=1, max_length=2048)
    expiration_time: int | None = Field(
        default=None, ge=0, le=32_503_680_000_000
    )  # ms, < year 3000
    keys: SubscriptionKeys


class PushUnsubscribe(InputModel):
    endpoint: str = Field(min_length=1, max_length=2048)


class SubscriptionId(ApiModel):
    id: UUID
