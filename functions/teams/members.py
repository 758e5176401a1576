"""Membership: joining, the member list, roles, removal and leaving, invites."""

from __future__ import annotations

from uuid import UUID

from milequest.api.request import Request
from milequest.api.routing import Router
from milequest.config import get_settings
from milequest.domain import team_invites, team_membership
from milequest.models.base import Page, PageQuery
from milequest.models.teams import (
    CreateInvite,
    Invite,
    JoinResult,
    JoinTeam,
    Member,
    MemberPreview,
    MemberRemoved,
    MyInvite,
    UpdateMember,
)

router = Router()


@router.post("/teams/join", "Join a team by invite code, or a public team by id")
def join_team(req: Request, body: JoinTeam) -> JoinResult:
    return team_membership.join_team(
        req.conn, req.me, body, member_cap=get_settings().team_member_cap
    )


@router.get("/teams/{teamId}/members", "Team members with their activity since joining (members)")
def list_members(req: Request, query: PageQuery, team_id: UUID) -> Page[Member]:
    return team_membership.list_members(req.conn, team_id, req.me, query)


@router.patch("/teams/{teamId}/members/{userId}", "Change a member's role (admins)")
def update_member(req: Request, body: UpdateMember, team_id: UUID, user_id: UUID) -> MemberPreview:
    return team_membership.update_member(req.conn, team_id, req.me, user_id, body)


@router.delete(
    "/teams/{teamId}/members/{userId}", "Remove a member (admins), or leave with userId `me`"
)
def remove_member(req: Request, team_id: UUID, user_id: str) -> MemberRemoved:
    target = None if user_id == "me" else req.path_uuid("userId")
    return team_membership.remove_member(req.conn, team_id, req.me, target)


@router.post(
    "/teams/{teamId}/invites",
    "Create an invite code, optionally addressed to an email or user (admins)",
    status=201,
)
def create_invite(req: Request, body: CreateInvite, team_id: UUID) -> Invite:
    return team_invites.create_invite(req.conn, team_id, req.me, body)


@router.get("/teams/{teamId}/invites", "Pending invites (admins)")
def list_invites(req: Request, team_id: UUID) -> list[Invite]:
    return team_invites.list_invites(req.conn, team_id, req.me)


@router.delete("/teams/{teamId}/invites/{inviteId}", "Revoke an invite (admins)")
def revoke_invite(req: Request, team_id: UUID, invite_id: UUID) -> Invite:
    return team_invites.revoke_invite(req.conn, team_id, req.me, invite_id)


@router.get("/users/me/invites", "Pending invites addressed to me")
def list_my_invites(req: Request) -> list[MyInvite]:
    return team_invites.my_invites(req.conn, req.me)
