"""Wire models of the Teams area (docs/api.md#teams; /users/me/teams, /users/me/invites)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field, field_validator, model_validator

from milequest.models.base import ApiModel, InputModel, PageQuery, QueryModel
from milequest.models.base import Deleted as Deleted  # the routes' import path

Role = Literal["ADMIN", "MEMBER"]
InviteStatus = Literal["PENDING", "ACCEPTED", "REVOKED", "EXPIRED"]

TEAM_NAME = Field(min_length=2, max_length=100)
DESCRIPTION = Field(default=None, max_length=1000)
AVATAR_URL = Field(default=None, max_length=2048, pattern=r"^https?://\S+$")


# ---------------------------------------------------------------- inputs


class CreateTeam(InputModel):
    name: str = TEAM_NAME
    description: str | None = DESCRIPTION
    avatar_url: str | None = AVATAR_URL
    is_public: bool = False


class UpdateTeam(InputModel):
    """PATCH: only the fields present change; `description`/`avatarUrl` may be set to null."""

    name: str | None = Field(default=None, min_length=2, max_length=100)
    description: str | None = DESCRIPTION
    avatar_url: str | None = AVATAR_URL
    is_public: bool | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> UpdateTeam:
        if not self.model_fields_set:
            raise ValueError("at least one field is required")
        for field in ("name", "is_public"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class JoinTeam(InputModel):
    invite_code: str | None = Field(default=None, min_length=8, max_length=64)
    team_id: UUID | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> JoinTeam:
        if (self.invite_code is None) == (self.team_id is None):
            raise ValueError("give exactly one of inviteCode or teamId")
        return self


class UpdateMember(InputModel):
    role: Role


class CreateInvite(InputModel):
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    user_id: UUID | None = None
    expires_in_days: int = Field(default=7, ge=1, le=30)

    @model_validator(mode="after")
    def _one_addressee(self) -> CreateInvite:
        if self.email is not None and self.user_id is not None:
            raise ValueError("give at most one of email or userId")
        return self


class NearQuery(QueryModel):
    """A `near=lat,lng` query parameter, checked when given (400 otherwise)."""

    near: str | None = Field(default=None, max_length=64, description="lat,lng")

    @field_validator("near")
    @classmethod
    def _lat_lng(cls, value: str | None) -> str | None:
        if value is not None:
            parse_near(value)
        return value

    @property
    def near_point(self) -> tuple[float, float] | None:
        return parse_near(self.near) if self.near is not None else None


class PublicTeamsQuery(NearQuery, PageQuery):
    q: str | None = Field(default=None, min_length=1, max_length=100)
    radius_km: float = Field(default=50, ge=1, le=1000, allow_inf_nan=False)


def parse_near(value: str) -> tuple[float, float]:
    """`"lat,lng"` → (lat, lng), ranges checked; ValueError otherwise (→ 400)."""
    parts = value.split(",")
    if len(parts) != 2:
        raise ValueError("must be 'lat,lng'")
    try:
        lat, lng = float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError("must be 'lat,lng' with numbers") from None
    if not -90 <= lat <= 90:  # also rejects NaN
        raise ValueError("latitude must be within [-90, 90]")
    if not -180 <= lng <= 180:
        raise ValueError("longitude must be within [-180, 180]")
    return lat, lng


# ---------------------------------------------------------------- outputs


class UserRef(ApiModel):
    id: UUID
    name: str
    avatar_url: str | None = None


class GoalSummary(ApiModel):
    id: UUID
    name: str
    target_distance: float
    total_distance: float
    percent_complete: float


class TeamSummary(ApiModel):
    """What every listing of a team shows."""

    id: UUID
    name: str
    description: str | None
    avatar_url: str | None
    is_public: bool
    member_count: int


class Team(TeamSummary):
    max_members: int
    created_at: datetime
    updated_at: datetime
    # The team's reusable join code: present for admins only, null for everyone else.
    invite_code: str | None = None


class MemberPreview(ApiModel):
    user: UserRef
    role: Role
    joined_at: datetime


class MemberUser(UserRef):
    email: str | None = None  # the caller's own entry only


class TeamMember(ApiModel):
    user: MemberUser
    role: Role
    joined_at: datetime


class TeamDetail(Team):
    """The team with its live members (admins first, then by join time: at most the member
    cap), its active goal and the caller's role (null for a non-member of a public team)."""

    members: list[TeamMember]
    active_goal: GoalSummary | None
    user_role: Role | None


class MyTeam(TeamSummary):
    role: Role
    joined_at: datetime
    active_goal: GoalSummary | None


class PublicTeam(TeamSummary):
    max_members: int
    created_at: datetime
    active_goal: GoalSummary | None


class MemberStats(ApiModel):
    total_distance: float
    activity_count: int
    last_activity_at: datetime | None


class Member(ApiModel):
    user: UserRef
    role: Role
    joined_at: datetime
    stats: MemberStats


class JoinResult(TeamDetail):
    """The joined team's detail (so `id` is the team), plus the new membership."""

    team: Team
    member: MemberPreview


class TeamRef(ApiModel):
    id: UUID
    name: str
    avatar_url: str | None


class Invite(ApiModel):
    id: UUID
    team_id: UUID
    code: str
    email: str | None
    user_id: UUID | None
    status: InviteStatus
    expires_at: datetime
    created_at: datetime
    invited_by: UUID | None


class MyInvite(ApiModel):
    id: UUID
    code: str
    team: TeamRef
    invited_by: UserRef | None
    expires_at: datetime
    created_at: datetime


class FeedItem(ApiModel):
    id: UUID
    user_id: UUID
    user_name: str
    distance: float
    duration: int
    pace: float | None
    timestamp: datetime
    notes: str | None
    is_private: bool
    created_at: datetime


class PeriodDistance(ApiModel):
    today: float
    this_week: float
    this_month: float


class TeamStats(ApiModel):
    total_distance: float
    total_activities: int
    member_count: int
    distance: PeriodDistance
    active_today: int
    active_this_week: int
    timezone: str


class MemberRemoved(ApiModel):
    removed: bool = True
    user_id: UUID
    team_deleted: bool = False
