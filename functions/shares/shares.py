"""Share one of my activities; the public share card."""

from __future__ import annotations

from uuid import UUID

from milequest.api.request import Request
from milequest.api.responses import Reply
from milequest.api.routing import Public, Router
from milequest.domain import activity_shares

# From base, not models.users: that module would build the user models at every cold start.
from milequest.models.base import Deleted
from milequest.models.shares import ShareCard, ShareCreated

router = Router()


@router.post(
    "/activities/{activityId}/share",
    "Share my activity as a public card (same activity again: the same share)",
    status=201,
    response=ShareCreated,
    profile="light",
)
def share_activity(req: Request, activity_id: UUID) -> Reply:
    created, new = activity_shares.share(req.conn, req.me, activity_id)
    return Reply(created, status=201 if new else 200)


@router.delete("/activities/{activityId}/share", "Stop sharing my activity", profile="light")
def unshare_activity(req: Request, activity_id: UUID) -> Deleted:
    activity_shares.unshare(req.conn, req.me, activity_id)
    return Deleted()


@router.get(
    "/shares/{shareId}",
    "A shared activity's public card",
    auth=False,
    # Short: a share removed is gone from the CDN within this many seconds.
    cache=Public(max_age=60),
    profile="light",
)
def get_share(req: Request, share_id: str) -> ShareCard:
    return activity_shares.card(req.conn, share_id)
