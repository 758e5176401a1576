"""Web Push subscriptions (docs/notifications.md; docs/api.md, push)."""

from __future__ import annotations

import binascii
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from psycopg import Connection

from milequest import vapid
from milequest.config import get_settings
from milequest.db import push_subscriptions as subs_db
from milequest.domain.errors import NotFound, ValidationFailed
from milequest.models.notifications import PushSubscriptionIn


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed("Invalid push subscription", [{"field": field, "message": message}])


def _check_endpoint(endpoint: str) -> None:
    parts = urlsplit(endpoint)
    # The local stack's push service stand-in listens on plain http on the loopback address;
    # anywhere else a push service is https.
    local = get_settings().stage == "local" and parts.scheme == "http"
    host = (parts.hostname or "").lower()
    if not (parts.scheme == "https" or (local and host in ("127.0.0.1", "localhost", "::1"))):
        raise _invalid("endpoint", "must be an https URL")
    if not host or any(c.isspace() for c in endpoint):
        raise _invalid("endpoint", "must be an https URL")


def _key(text: str, field: str, size: int) -> None:
    try:
        raw = vapid.b64url_decode(text)
    except (binascii.Error, ValueError):
        raise _invalid(field, "must be base64url") from None
    if len(raw) != size or (size == 65 and raw[0] != 4):
        what = "a 65-byte uncompressed P-256 point" if size == 65 else f"{size} bytes"
        raise _invalid(field, f"must be {what}")


def subscribe(conn: Connection[Any], me: UUID, body: PushSubscriptionIn) -> tuple[UUID, bool]:
    _check_endpoint(body.endpoint)
    _key(body.keys.p256dh, "keys.p256dh", 65)
    _key(body.keys.auth, "keys.auth", 16)
    expiration = (
        datetime.fromtimestamp(body.expiration_time / 1000, UTC)
        if body.expiration_time is not None
        else None
    )
    with conn.transaction():
        return subs_db.upsert(conn, me, body.endpoint, body.keys.p256dh, body.keys.auth, expiration)


def unsubscribe(conn: Connection[Any], me: UUID, endpoint: str) -> None:
    with conn.transaction():
        if not subs_db.delete(conn, me, endpoint):
            raise NotFound("Push subscription not found")


def public_key() -> str:
    return vapid.keys().public_key
