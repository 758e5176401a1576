"""Comments and reactions on team-mates' activities; the achievement catalog and mine."""

from __future__ import annotations

from urllib.parse import unquote
from uuid import UUID

from milequest.api.request import Request
from milequest.api.routing import Public, Router
from milequest.domain import achievement_reads, activity_social
from milequest.i18n import negotiate
from milequest.models.activities import (
    CatalogAchievement,
    Comment,
    CommentIn,
    EarnedAchievement,
    Reaction,
)
from milequest.models.base import Empty

router = Router()
_ID = "/activities/{activityId}"


@router.get(f"{_ID}/comments", "Comments on a team-mate's activity", profile="light")
def list_comments(req: Request, activity_id: UUID) -> list[Comment]:
    return activity_social.list_comments(req.conn, req.me, activity_id)


@router.post(f"{_ID}/comments", "Comment on a team-mate's activity", status=201, profile="light")
def add_comment(req: Request, body: CommentIn, activity_id: UUID) -> Comment:
    return activity_social.add_comment(req.conn, req.me, activity_id, body.text)


@router.delete(
    f"{_ID}/comments/{{commentId}}",
    "Delete a comment (its author or a team admin)",
    profile="light",
)
def delete_comment(req: Request, activity_id: UUID, comment_id: UUID) -> Empty:
    activity_social.delete_comment(req.conn, req.me, activity_id, comment_id)
    return Empty()


@router.put(
    f"{_ID}/reactions/{{emoji}}", "React to a team-mate's activity (idempotent)", profile="light"
)
def add_reaction(req: Request, activity_id: UUID, emoji: str) -> Reaction:
    return activity_social.react(req.conn, req.me, activity_id, unquote(emoji))


@router.delete(f"{_ID}/reactions/{{emoji}}", "Remove my reaction (idempotent)", profile="light")
def remove_reaction(req: Request, activity_id: UUID, emoji: str) -> Reaction:
    return activity_social.unreact(req.conn, req.me, activity_id, unquote(emoji))


@router.get("/users/me/achievements", "Achievements I have earned", profile="light")
def list_my_achievements(req: Request) -> list[EarnedAchievement]:
    return achievement_reads.earned_by(req.conn, req.me)


@router.get(
    "/achievements",
    "The achievement catalog",
    auth=False,
    cache=Public(max_age=3600, vary=("Accept-Language",)),
    profile="light",
)
def list_achievements(req: Request) -> list[CatalogAchievement]:
    return achievement_reads.catalog(req.conn, negotiate(req.header("accept-language")))
