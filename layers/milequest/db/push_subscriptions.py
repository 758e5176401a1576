"""push_subscriptions rows: a browser's Web Push subscription, keyed by its endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_all


@dataclass(frozen=True, slots=True)
class Subscription:
    id: UUID
    endpoint: str
    p256dh: str
    auth: str


def upsert(
    conn: Connection[Any],
    user_id: UUID,
    endpoint: str,
    p256dh: str,
    auth: str,
    expiration: datetime | None,
) -> tuple[UUID, bool]:
    """(id, created). The same endpoint again updates the keys (and owner: one browser)."""
    row = conn.execute(
        """INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, expiration_time)
           VALUES (%s, %s, %s, %s, %s)
           ON CONFLICT (endpoint) DO UPDATE
              SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
                  expiration_time = EXCLUDED.expiration_time
           RETURNING id, (xmax = 0) AS created""",
        (user_id, endpoint, p256dh, auth, expiration),
    ).fetchone()
    assert row is not None
    return row[0], bool(row[1])


def delete(conn: Connection[Any], user_id: UUID, endpoint: str) -> bool:
    cur = conn.execute(
        "DELETE FROM push_subscriptions WHERE user_id = %s AND endpoint = %s", (user_id, endpoint)
    )
    return cur.rowcount > 0


def delete_by_id(conn: Connection[Any], subscription_id: UUID) -> None:
    conn.execute("DELETE FROM push_subscriptions WHERE id = %s", (subscription_id,))


def of_user(conn: Connection[Any], user_id: UUID) -> list[Subscription]:
    return fetch_all(
        conn,
        Subscription,
        """SELECT id, endpoint, p256dh, auth FROM push_subscriptions
            WHERE user_id = %s AND (expiration_time IS NULL OR expiration_time > now())
            ORDER BY created_at, id""",
        (user_id,),
    )
