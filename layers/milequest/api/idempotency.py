"""`Idempotency-Key` for mutating routes (docs/api.md#idempotency).

The key, a hash of the request and the response are stored in the transaction of the write. A
repeat with the same key replays the stored status and body without writing; the same key with
a different request is 422 IDEMPOTENCY_KEY_REUSED. Errors are not stored: the failed write rolled
back with its claim, so a retry runs again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from milequest.api.request import Request
from milequest.db import idempotency as store
from milequest.domain.errors import IdempotencyKeyReused, ValidationFailed

MAX_KEY_LENGTH = 255


def request_hash(req: Request, raw_body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(req.route.method.encode())
    digest.update(b"\0")
    digest.update(json.dumps(req.path_params, sort_keys=True).encode())
    digest.update(b"\0")
    digest.update(req.route.path.encode())
    digest.update(b"\0")
    digest.update(raw_body)
    return digest.hexdigest()


def run_once(
    req: Request, key: str, raw_body: bytes, produce: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise ValidationFailed(
            "Invalid Idempotency-Key",
            [{"field": "Idempotency-Key", "message": f"1 to {MAX_KEY_LENGTH} characters"}],
        )
    conn = req.conn
    fingerprint = request_hash(req, raw_body)
    with conn.transaction():
        if not store.claim(conn, req.user_id, key, req.route.method, req.route.path, fingerprint):
            previous = store.stored(conn, req.user_id, key)
            if previous is not None and not previous.expired:
                if previous.request_hash != fingerprint:
                    raise IdempotencyKeyReused(
                        "This Idempotency-Key was used for a different request"
                    )
                return _replay(previous.status_code or 200, previous.response_body)
            store.forget(conn, req.user_id, key)
            store.claim(conn, req.user_id, key, req.route.method, req.route.path, fingerprint)
        response = produce()
        store.complete(conn, req.user_id, key, response["statusCode"], json.loads(response["body"]))
        return response


def _replay(status: int, body: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": "application/json",
            "Cache-Control": "private, no-store",
            "Idempotent-Replayed": "true",
        },
        "body": json.dumps(body, separators=(",", ":"), ensure_ascii=False),
    }
