"""Activity shares on the wire: the share created and the public card."""

from __future__ import annotations

from datetime import date

from milequest.models.base import ApiModel


class ShareCreated(ApiModel):
    share_id: str
    url: str


class SharePosition(ApiModel):
    lat: float
    lng: float


class ShareGoal(ApiModel):
    name: str
    percent_complete: float
    current_position: SharePosition | None = None


class ShareTeam(ApiModel):
    name: str


class ShareCard(ApiModel):
    share_id: str
    distance: float
    duration: int
    pace: float | None
    date: date
    first_name: str
    avatar_url: str | None = None
    team: ShareTeam | None = None
    goal: ShareGoal | None = None
