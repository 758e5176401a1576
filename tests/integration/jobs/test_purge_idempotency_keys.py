"""Idempotency keys past their expiry are purged; younger ones are kept."""

from __future__ import annotations

import uuid

from functions.jobs import purge_idempotency_keys


def _key(conn, age_hours: float) -> str:
    key = uuid.uuid4().hex
    conn.execute(
        """INSERT INTO idempotency_keys (key, method, path, request_hash, created_at, expires_at)
           VALUES (%s, 'POST', '/activities', repeat('a', 64),
                   now() - make_interval(secs => %s * 3600),
                   now() - make_interval(secs => %s * 3600) + interval '24 hours')""",
        (key, age_hours, age_hours),
    )
    return key


def test_expired_keys_are_purged_and_live_ones_kept(own_database, conn) -> None:
    old = [_key(conn, 25), _key(conn, 48)]
    young = [_key(conn, 1), _key(conn, 23)]
    assert purge_idempotency_keys.handler({}, None) == {"purged": 2}
    left = {r[0] for r in conn.execute("SELECT key FROM idempotency_keys")}
    assert left == set(young) and not left & set(old)
    assert purge_idempotency_keys.handler({}, None) == {"purged": 0}
