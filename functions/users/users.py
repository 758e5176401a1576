"""The signed-in user's account (profile, deletion, export) and teammates' profiles."""

from __future__ import annotations

from uuid import UUID

from milequest.api.request import Request
from milequest.api.responses import Reply, Serialised, fits_lambda_result
from milequest.api.routing import Answer, Router
from milequest.cognito import get_cognito
from milequest.config import get_settings
from milequest.domain import users, users_account
from milequest.export_store import get_export_store
from milequest.models.users import DataExport, Deleted, ExportDownload, Me, PublicProfile, UpdateMe

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


@router.get(
    "/users/me/export",
    "Everything the user owns, as one JSON document",
    profile="heavy",
    response=DataExport,
    answers=(
        Answer(
            303,
            "Too large to answer inline: `Location` (and `data.url`) is a presigned GET of the "
            "same document, valid until `data.expiresAt`",
            ExportDownload,
            headers=("Location",),
        ),
    ),
)
def export_me(req: Request) -> Serialised[DataExport] | Reply:
    limit = get_settings().export_inline_max_bytes
    export = users_account.export_data(
        req.conn,
        req.me,
        fits_inline=lambda text, utf8_bytes, has_del: fits_lambda_result(
            text, limit, utf8_bytes=utf8_bytes, has_del=has_del
        ),
        store=get_export_store(),
    )
    if isinstance(export, str):
        return Serialised(export)
    return Reply(export, status=303, headers={"Location": export.url})


@router.get("/users/{userId}", "Public profile of someone sharing a team with the caller")
def get_user(req: Request, user_id: UUID) -> PublicProfile:
    return users.public_profile(req.conn, req.me, user_id)
