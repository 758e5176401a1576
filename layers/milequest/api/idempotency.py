"""`Idempotency-Key` for mutating routes (docs/api.md#idempotency).

The header is checked and the request hashed here; claiming the key, the write and storing the
response are one transaction of `milequest.domain.idempotency.run_once`. A repeat with the same
key replays the stored status and body without writing; the same key with a different request is
422 IDEMPOTENCY_KEY_REUSED.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from milequest.api.request import Request
from milequest.domain.errors import ValidationFailed

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
    # Imported here: only a mutating request that carries a key gets this far, and the keys'
    # rows are no read route's cold start.
    from milequest.domain import idempotency
    from milequest.domain.idempotency import KeyedRequest, Replay

    keyed = KeyedRequest(
        req.user_id, key, req.route.method, req.route.path, request_hash(req, raw_body)
    )
    result = idempotency.run_once(req.conn, keyed, produce, _outcome)
    return _replay(result.status, result.body) if isinstance(result, Replay) else result


def _outcome(response: dict[str, Any]) -> tuple[int, Any]:
    return response["statusCode"], json.loads(response["body"])


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
