"""Team invites: create, list, revoke; my pending invites (docs/domain.md#invites)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import team_invites as invites_db
from milequest.db import team_members as members_db
from milequest.db import teams as teams_db
from milequest.db.notifications import notify
from milequest.domain.access import require_admin
from milequest.domain.errors import AlreadyMember, Conflict, NotFound, ValidationFailed
from milequest.domain.teams import new_code
from milequest.models.teams import CreateInvite, Invite, MyInvite


def _invite(row: invites_db.InviteRow) -> Invite:
    # A PENDING invite past its expiry reads EXPIRED (nothing rewrites the row when it lapses).
    status = "EXPIRED" if row.status == "PENDING" and row.expired else row.status
    return Invite.model_validate(row).model_copy(update={"status": status})


def create_invite(
    conn: Connection[Any], team_id: UUID, actor_id: UUID, body: CreateInvite
) -> Invite:
    with conn.transaction():
        require_admin(conn, team_id, actor_id)
        addressee = body.user_id
        if addressee is not None and not invites_db.user_exists(conn, addressee):
            raise ValidationFailed(
                "No such user", [{"field": "userId", "message": "no user with this id"}]
            )
        if addressee is None and body.email is not None:
            addressee = invites_db.user_id_by_email(conn, body.email)
        if addressee is not None and members_db.live_member(conn, team_id, addressee):
            raise AlreadyMember("This user is already a member of the team")
        row = invites_db.insert_invite(
            conn,
            team_id=team_id,
            code=new_code(),
            invited_by=actor_id,
            email=body.email,
            user_id=body.user_id,
            expires_in_days=body.expires_in_days,
        )
        if addressee is not None:
            team = teams_db.get_team(conn, team_id)
            assert team is not None
            notify(
                conn,
                [addressee],
                "INVITE_RECEIVED",
                f"You're invited to join {team.name}",
                team_id=team_id,
                data={"teamId": str(team_id), "inviteId": str(row.id), "code": row.code},
                dedupe_key=f"invite:{row.id}",
            )
        return _invite(row)


def list_invites(conn: Connection[Any], team_id: UUID, actor_id: UUID) -> list[Invite]:
    require_admin(conn, team_id, actor_id)
    return [_invite(r) for r in invites_db.pending_for_team(conn, team_id)]


def revoke_invite(conn: Connection[Any], team_id: UUID, actor_id: UUID, invite_id: UUID) -> Invite:
    with conn.transaction():
        require_admin(conn, team_id, actor_id)
        row = invites_db.by_id(conn, team_id, invite_id, lock=True)
        if row is None:
            raise NotFound("Invite not found")
        if row.status == "REVOKED":
            return _invite(row)
        if row.status != "PENDING":
            raise Conflict(f"Invite is already {row.status.lower()}")
        invites_db.set_status(conn, row.id, "REVOKED")
        updated = invites_db.by_id(conn, team_id, invite_id)
        assert updated is not None
        return _invite(updated)


def my_invites(conn: Connection[Any], user_id: UUID) -> list[MyInvite]:
    return [MyInvite.model_validate(r) for r in invites_db.pending_for_user(conn, user_id)]
