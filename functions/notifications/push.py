"""Web Push: the application server key, and my browsers' subscriptions."""

from __future__ import annotations

from milequest import vapid
from milequest.api.request import Request
from milequest.api.responses import Reply
from milequest.api.routing import Router
from milequest.domain import push_subscriptions
from milequest.domain.errors import Unavailable
from milequest.models.notifications import (
    PushSubscriptionIn,
    PushUnsubscribe,
    SubscriptionId,
    VapidPublicKey,
)
from milequest.models.users import Deleted

router = Router()


@router.get(
    "/push/vapid-public-key",
    "The key browsers subscribe to Web Push with",
    auth=False,
    uses_db=False,
    profile="light",
)
def vapid_public_key() -> VapidPublicKey:
    try:
        return VapidPublicKey(public_key=push_subscriptions.public_key())
    except vapid.VapidNotConfigured:
        raise Unavailable("Web Push is not configured") from None


@router.post(
    "/push/subscribe",
    "Subscribe this browser to Web Push (same endpoint again: updated)",
    status=201,
    response=SubscriptionId,
    profile="light",
)
def subscribe(req: Request, body: PushSubscriptionIn) -> Reply:
    sub_id, created = push_subscriptions.subscribe(req.conn, req.me, body)
    return Reply(SubscriptionId(id=sub_id), status=201 if created else 200)


@router.delete("/push/subscribe", "Unsubscribe a browser from Web Push", profile="light")
def unsubscribe(req: Request, body: PushUnsubscribe) -> Deleted:
    push_subscriptions.unsubscribe(req.conn, req.me, body.endpoint)
    return Deleted()
