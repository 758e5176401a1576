"""idempotency_keys rows. The claim row is inserted in the same transaction as the write it
guards, so a concurrent duplicate blocks on the unique index until the first commits (and then
replays its response) or rolls back (and then runs itself)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.types.json import Jsonb

from milequest.db.rows import fetch_one, fetch_value


@dataclass(frozen=True)
class StoredResponse:
    request_hash: str
    status_code: int | None
    response_body: Any
    expired: bool


def claim(
    conn: Connection[Any], user_id: UUID | None, key: str, method: str, path: str, request_hash: str
) -> bool:
    """True when this request now owns the key; False when another request already stored it."""
    new_id = fetch_value(
        conn,
        """INSERT INTO idempotency_keys (user_id, key, method, path, request_hash)
           VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id""",
        (user_id, key, method, path, request_hash),
    )
    return new_id is not None


def stored(conn: Connection[Any], user_id: UUID | None, key: str) -> StoredResponse | None:
    return fetch_one(
        conn,
        StoredResponse,
        """SELECT request_hash, status_code, response_body, expires_at < now() AS expired
           FROM idempotency_keys WHERE user_id IS NOT DISTINCT FROM %s AND key = %s""",
        (user_id, key),
    )


def forget(conn: Connection[Any], user_id: UUID | None, key: str) -> None:
    conn.execute(
        "DELETE FROM idempotency_keys WHERE user_id IS NOT DISTINCT FROM %s AND key = %s",
        (user_id, key),
    )


def complete(conn: Connection[Any], user_id: UUID | None, key: str, status: int, body: Any) -> None:
    conn.execute(
        """UPDATE idempotency_keys SET status_code = %s, response_body = %s
           WHERE user_id IS NOT DISTINCT FROM %s AND key = %s""",
        (status, Jsonb(body), user_id, key),
    )


def purge_expired(conn: Connection[Any]) -> int:
    return conn.execute("DELETE FROM idempotency_keys WHERE expires_at < now()").rowcount
