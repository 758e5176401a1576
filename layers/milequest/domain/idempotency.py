"""Performing a mutating request once per `Idempotency-Key` (docs/domain.md#idempotency).

The claim row, the write and the stored response share one transaction: a concurrent duplicate
blocks on the key's unique index until the first commits (and then replays its response) or
rolls back (and then runs itself). Failures are not stored: the failed write rolled back with
its claim, so a retry runs again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from psycopg import Connection

from milequest.db import idempotency as store
from milequest.domain.errors import IdempotencyKeyReused

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    """Who sent the key, for which operation, and a hash of what was sent."""

    user_id: UUID | None
    key: str
    method: str
    path: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Replay:
    """The response stored by the request that performed the operation first."""

    status: int
    body: Any


def run_once(
    conn: Connection[Any],
    req: KeyedRequest,
    perform: Callable[[], T],
    outcome: Callable[[T], tuple[int, Any]],
) -> T | Replay:
    """`perform()` and store its `outcome` (status, body) under the key, in one transaction; or
    the stored response when the key was used for the same request before."""
    with conn.transaction():
        if not _claim(conn, req):
            previous = store.stored(conn, req.user_id, req.key)
            if previous is not None and not previous.expired:
                if previous.request_hash != req.fingerprint:
                    raise IdempotencyKeyReused(
                        "This Idempotency-Key was used for a different request"
                    )
                return Replay(previous.status_code or 200, previous.response_body)
            # An expired key (not purged yet) is free again.
            store.forget(conn, req.user_id, req.key)
            _claim(conn, req)
        result = perform()
        status, body = outcome(result)
        store.complete(conn, req.user_id, req.key, status, body)
        return result


def _claim(conn: Connection[Any], req: KeyedRequest) -> bool:
    return store.claim(conn, req.user_id, req.key, req.method, req.path, req.fingerprint)
