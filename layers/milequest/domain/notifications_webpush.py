"""PUSH deliveries: Web Push (RFC 8030) with VAPID (RFC 8292), the payload encrypted per
RFC 8291 (aes128gcm) for each of the user's subscriptions. A subscription the push service
answers 404/410 for is gone and is deleted."""

from __future__ import annotations

import json
from typing import Any

import requests
from psycopg import Connection
from pywebpush import WebPushException, webpush

from milequest import vapid
from milequest.db import push_subscriptions as subs_db
from milequest.db.deliveries import Due
from milequest.domain.notifications_email import Outcome

TTL_SECONDS = 24 * 3600
TIMEOUT_SECONDS = 10


def payload(d: Due) -> dict[str, Any]:
    return {
        "id": str(d.notification_id),
        "category": d.category,
        "title": d.title,
        "body": d.body,
        "data": d.data,
        "teamId": str(d.team_id) if d.team_id else None,
    }


def send(conn: Connection[Any], d: Due) -> Outcome:
    try:
        keys = vapid.keys()
    except vapid.VapidNotConfigured:
        return Outcome(False, "VAPID key not configured")
    subs = subs_db.of_user(conn, d.user_id)
    if not subs:
        return Outcome(False, "no push subscription", permanent=True)
    data = json.dumps(payload(d), separators=(",", ":"))
    sent, errors = 0, []
    for sub in subs:
        try:
            webpush(
                {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
                data=data,
                vapid_private_key=keys.vapid(),
                vapid_claims={"sub": keys.subject},
                ttl=TTL_SECONDS,
                timeout=TIMEOUT_SECONDS,
            )
            sent += 1
        except WebPushException as err:
            status = err.response.status_code if err.response is not None else None
            if status in (404, 410):
                subs_db.delete_by_id(conn, sub.id)
            else:
                errors.append(f"push service {status}")
        except requests.RequestException as err:
            errors.append(f"push {type(err).__name__}")
    if sent:
        return Outcome(True)
    if not errors:
        return Outcome(False, "every push subscription is gone", permanent=True)
    return Outcome(False, "; ".join(errors))
