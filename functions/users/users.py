"""The signed-in user's account (profile, deletion, export) and teammates' profiles."""

from __future__ import annotations

from uuid import UUID

from milequest.api.request import Request
from milequest.api.responses import Serialised
from milequest.api.routing import Router
from milequest.cognito import get_cognito
from milequest.domain import users, users_account
from milequest.models.users import DataExport, Deleted, Me, PublicProfile, UpdateMe

router = Router()


@router.get("/users/me", "The signed-in user's account and stats")
def get_me(req: Request) -> Me:
    return users.get_me(req.conn, req.me)


@router.patch("/users/me", "Change name, avatar, time zone or units")
def update_me(req: Request, body: UpdateMe) -> Me:
    return users.update_me(req.conn, req.me, body)


@router.delete("/users/me", "Delete the account: data scrubbed, memberships ended, sign-in removed")
def delete_me(req: Request) -> Deleted:
    return users_account.delete_account(req.conn, get_cognito(), req.me)


@router.get("/users/me/export", "Everything the user owns, as one JSON document", profile="heavy")
def export_me(req: Request) -> Serialised[DataExport]:
    return Serialised(users_account.export_data(req.conn, req.me))


@router.get("/users/{userId}", "Public profile of someone sharing a team with the caller")
def get_user(req: Request, user_id: UUID) -> PublicProfile:
    return users.public_profile(req.conn, req.me, user_id)
