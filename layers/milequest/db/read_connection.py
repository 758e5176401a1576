"""Reads that may go to the read replica (docs/analytics.md; docs/architecture.md).

Configured by DATABASE_READ_URL (local) or DB_READ_HOST (cloud: the replica's endpoint, same
IAM auth, port, name and user as DB_HOST); unset, every read uses the primary. Connections
are opened with milequest.db.connection.open_connection, so they follow its rules (autocommit,
no prepared statements, no session SETs).

A replica must never make a read fail: when it cannot be reached, breaks mid-read, or is more
than DB_READ_MAX_LAG_SECONDS behind, the read runs on the primary connection the request
already holds. Only reads come here: the replica is read-only, and a write sent to it would
be refused by the database, not silently lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import psycopg

from milequest.config import Settings, get_settings
from milequest.db.connection import Connection, open_connection
from milequest.observability import MetricUnit, logger, metrics

T = TypeVar("T")

_lock = threading.Lock()
# Idle replica connections: one per execution environment in Lambda, a few under the local
# threaded server (at most DB_POOL_MAX kept).
_idle: list[Connection] = []

# Seconds since the last replayed transaction, 0 when the replica has replayed all it received
# (an idle primary sends nothing, so an old replay time alone is not lag) or is not a standby.
_LAG_SQL = """SELECT CASE WHEN pg_is_in_recovery()
                           AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()
                      THEN coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
                      ELSE 0 END"""


def replica_settings(settings: Settings) -> Settings | None:
    """The primary's settings pointed at the replica, or None when there is none."""
    if settings.db_iam_auth:
        if settings.db_read_host is None:
            return None
        return settings.model_copy(update={"db_host": settings.db_read_host})
    if settings.database_read_url is None:
        return None
    return settings.model_copy(update={"database_url": settings.database_read_url})


def _lag_seconds(conn: Connection) -> float:
    row = conn.execute(_LAG_SQL).fetchone()
    return float(row[0]) if row is not None else 0.0


def _fallback(reason: str) -> None:
    logger.warning("read replica skipped", extra={"reason": reason})
    metrics.add_metric(name="ReplicaFallback", unit=MetricUnit.Count, value=1)


def _lend(settings: Settings) -> Connection | None:
    """A healthy, caught-up replica connection, or None (the caller uses the primary)."""
    replica = replica_settings(settings)
    if replica is None:
        return None
    with _lock:
        conn = _idle.pop() if _idle else None
    lag: float | None = None
    if conn is not None:
        try:
            lag = _lag_seconds(conn)  # doubles as the health check of a reused connection
        except psycopg.Error:
            _discard(conn)  # dropped while idle (replica restart, proxy timeout): reopen
            conn = None
    if conn is None:
        try:
            conn = open_connection(replica)
            lag = _lag_seconds(conn)
        except psycopg.Error as err:
            _discard(conn)
            _fallback(type(err).__name__)
            return None
    assert lag is not None
    if lag > settings.db_read_max_lag_seconds:
        _give_back(conn, settings)
        _fallback("lag")
        return None
    return conn


def _give_back(conn: Connection, settings: Settings) -> None:
    if conn.closed or conn.broken:
        return
    with _lock:
        if len(_idle) < settings.db_pool_max:
            _idle.append(conn)
            return
    conn.close()


def _discard(conn: Connection | None) -> None:
    if conn is not None:
        try:
            conn.close()
        except psycopg.Error:
            pass


@contextmanager
def read_connection(primary: Connection) -> Iterator[Connection]:
    """The replica when one is configured, reachable and caught up; else `primary`.

    A replica failing inside the block propagates (the block cannot be replayed); `read()`
    runs a function again on the primary in that case."""
    settings = get_settings()
    conn = _lend(settings)
    if conn is None:
        yield primary
        return
    try:
        yield conn
    except psycopg.OperationalError:
        _discard(conn)
        raise
    finally:
        _give_back(conn, settings)  # no-op for a connection just discarded (closed)


def read(primary: Connection, fn: Callable[[Connection], T]) -> T:
    """`fn` on the replica, or on `primary` when the replica is unusable or fails mid-read."""
    settings = get_settings()
    conn = _lend(settings)
    if conn is None:
        return fn(primary)
    try:
        return fn(conn)
    except psycopg.OperationalError as err:
        _discard(conn)
        _fallback(type(err).__name__)
    finally:
        _give_back(conn, settings)  # no-op for a connection just discarded (closed)
    return fn(primary)


def reset() -> None:
    """Close idle replica connections (tests switch databases)."""
    with _lock:
        idle = list(_idle)
        _idle.clear()
    for conn in idle:
        _discard(conn)
