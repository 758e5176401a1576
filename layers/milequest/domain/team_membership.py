"""Joining, leaving, roles and member lists (docs/domain.md#teams-and-membership).

Every membership change runs in one transaction that first locks the team row (FOR UPDATE), so
per-team rules spanning rows — the member cap, "at least one admin" — are checked on a state no
concurrent change can alter before commit.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import audit
from milequest.db import team_invites as invites_db
from milequest.db import team_members as members_db
from milequest.db import teams as teams_db
from milequest.db.memberships import team_access
from milequest.db.notifications import live_member_ids, notify
from milequest.domain import paging
from milequest.domain.access import ADMIN, MEMBER, require_admin, require_member
from milequest.domain.errors import (
    AlreadyMember,
    Forbidden,
    LastAdmin,
    NotFound,
    TeamFull,
)
from milequest.domain.teams import lock_team, member_preview, team_detail
from milequest.models.base import Page, PageQuery
from milequest.models.teams import (
    JoinResult,
    JoinTeam,
    Member,
    MemberPreview,
    MemberRemoved,
    Team,
    UpdateMember,
)


def _resolve_code(
    conn: Connection[Any], user_id: UUID, code: str
) -> tuple[UUID, invites_db.InviteRow | None]:
    """The team a code opens (the team's own link code, or a team_invites code)."""
    team_id = teams_db.team_by_invite_code(conn, code)
    if team_id is not None:
        return team_id, None
    invite = invites_db.by_code(conn, code)
    if invite is None:
        raise NotFound("Invite not found")
    return invite.team_id, invite


def _check_invite(conn: Connection[Any], user_id: UUID, invite: invites_db.InviteRow) -> None:
    if invite.status != "PENDING" or invite.expired:
        raise NotFound("Invite not found or no longer valid")
    if invite.user_id is not None and invite.user_id != user_id:
        raise Forbidden("This invite is addressed to someone else")
    if invite.email is not None:
        mine = invites_db.user_email(conn, user_id)
        if mine is None or mine.lower() != invite.email.lower():
            raise Forbidden("This invite is addressed to someone else")


def join_team(
    conn: Connection[Any], user_id: UUID, body: JoinTeam, *, member_cap: int | None = None
) -> JoinResult:
    with conn.transaction():
        invite: invites_db.InviteRow | None = None
        if body.invite_code is not None:
            team_id, invite = _resolve_code(conn, user_id, body.invite_code)
        else:
            assert body.team_id is not None
            team_id = body.team_id
        lock_team(conn, team_id)
        access = team_access(conn, team_id, user_id)
        if access is None:
            raise NotFound("Team not found")
        if body.invite_code is None and not access.is_public:
            raise NotFound("Team not found")
        if invite is not None:
            invite = invites_db.by_code(conn, body.invite_code or "", lock=True)
            assert invite is not None
            _check_invite(conn, user_id, invite)
        if access.role is not None:
            raise AlreadyMember("You are already a member of this team")
        team = teams_db.get_team(conn, team_id)
        assert team is not None
        cap = team.max_members if member_cap is None else min(team.max_members, member_cap)
        if members_db.live_counts(conn, team_id).members >= cap:
            raise TeamFull("This team is full")
        others = live_member_ids(conn, team_id)
        member = members_db.insert_member(conn, team_id, user_id, MEMBER)
        # Addressed invites are single use; an open invite code stays usable until it expires.
        used = None
        if invite is not None and (invite.user_id is not None or invite.email is not None):
            used = invite.id
        invites_db.accept_addressed(conn, team_id, user_id, used)
        notify(
            conn,
            others,
            "MEMBER_JOINED",
            f"{member.user['name']} joined {team.name}",
            team_id=team_id,
            data={"teamId": str(team_id), "userId": str(user_id)},
            dedupe_key=f"member-joined:{member.id}",
        )
        detail = team_detail(conn, team_id, user_id, MEMBER)
        joined = Team.model_validate(detail, from_attributes=True)
        return JoinResult(**dict(detail), team=joined, member=member_preview(member))


def list_members(conn: Connection[Any], team_id: UUID, user_id: UUID, q: PageQuery) -> Page[Member]:
    """Live members in join order, keyset-paged on (joined_at, membership id)."""
    require_member(conn, team_id, user_id)
    after, fetch = paging.window(q)
    rows = members_db.members_with_stats(conn, team_id, limit=fetch, after=after)
    keyed = paging.page(rows, q, lambda r: (r.joined_at, r.id))
    return keyed.map(Member.model_validate)


def update_member(
    conn: Connection[Any], team_id: UUID, actor_id: UUID, target_id: UUID, body: UpdateMember
) -> MemberPreview:
    with conn.transaction():
        lock_team(conn, team_id)
        require_admin(conn, team_id, actor_id)
        member = members_db.live_member(conn, team_id, target_id)
        if member is None:
            raise NotFound("Member not found")
        if member.role == body.role:
            return member_preview(member)
        if member.role == ADMIN and members_db.live_counts(conn, team_id).admins <= 1:
            raise LastAdmin("A team needs at least one admin: promote someone else first")
        members_db.set_role(conn, member.id, body.role)
        audit.record(
            conn,
            actor_id,
            "ROLE_CHANGED",
            team_id=team_id,
            target_user_id=target_id,
            target_id=member.id,
            details={"from": member.role, "to": body.role},
        )
        updated = members_db.live_member(conn, team_id, target_id)
        assert updated is not None
        return member_preview(updated)


def remove_member(
    conn: Connection[Any], team_id: UUID, actor_id: UUID, target_id: UUID | None
) -> MemberRemoved:
    """Remove `target_id` (admins only), or leave when `target_id` is None or the actor."""
    leaving = target_id is None or target_id == actor_id
    target = actor_id if target_id is None else target_id
    with conn.transaction():
        lock_team(conn, team_id)
        if leaving:
            require_member(conn, team_id, actor_id)
        else:
            require_admin(conn, team_id, actor_id)
        member = members_db.live_member(conn, team_id, target)
        if member is None:
            raise NotFound("Member not found")
        others = members_db.live_counts(conn, team_id, besides=target)
        remaining = others.members
        if member.role == ADMIN and remaining > 0 and others.admins == 0:
            raise LastAdmin("The last admin cannot leave while other members remain")
        members_db.end_membership(conn, member.id)
        audit.record(
            conn,
            actor_id,
            "MEMBER_LEFT" if leaving else "MEMBER_REMOVED",
            team_id=team_id,
            target_user_id=target,
            target_id=member.id,
        )
        team_deleted = remaining == 0
        if team_deleted:
            teams_db.soft_delete(conn, team_id)
            audit.record(
                conn,
                actor_id,
                "TEAM_DELETED",
                team_id=team_id,
                target_id=team_id,
                details={"reason": "last member left"},
            )
        return MemberRemoved(user_id=target, team_deleted=team_deleted)
