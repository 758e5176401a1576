"""Database connections, per the rules of docs/architecture.md.

- Lambda (`db_mode=single`): one connection per execution environment, opened lazily and
  health-checked before reuse, so a connection the proxy or a failover dropped is replaced on
  the next request instead of failing it.
- Local (`db_mode=pool`): a small lending pool (milequest.db.pool) so the threaded dev server
  and benchmarks run requests concurrently; it checks a connection before lending it and
  replaces a dead one on the spot.
- The check is the request's first statement (`connection_for`): the API's users lookup by
  Cognito sub, a read in autocommit that is run again on the new connection when the kept one
  turns out dead; `SELECT 1` only for a borrower without one.

Both fail fast: a database that refuses connections fails the request at once (503), and a
dead connection is replaced by the request that finds it, with no backoff in between.

Always autocommit with `prepare_threshold=None` and no session-level SETs: the domain opens
explicit transactions with `conn.transaction()`, and RDS Proxy never has a reason to pin.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg

from milequest.config import Settings, get_settings
from milequest.db.pool import LendingPool, close_quietly, first_on, select_one
from milequest.db.timing import TimedCursor

Connection = psycopg.Connection[Any]
T = TypeVar("T")

_lock = threading.Lock()
_single: Connection | None = None
_pool: LendingPool | None = None


def _connect_kwargs(settings: Settings) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "autocommit": True,
        "prepare_threshold": None,
        "cursor_factory": TimedCursor,
        "connect_timeout": settings.db_connect_timeout,
    }
    if settings.db_iam_auth:
        kwargs.update(_iam_auth_kwargs(settings))
    return kwargs


def _iam_auth_kwargs(settings: Settings) -> dict[str, Any]:
    """RDS Proxy with IAM auth: a 15-minute token instead of a stored password, TLS required."""
    import boto3  # only needed in the cloud; keeps local cold paths light

    if not settings.db_host:
        raise ValueError("DB_HOST is required with DB_IAM_AUTH")
    token = boto3.client("rds", region_name=settings.aws_region).generate_db_auth_token(
        DBHostname=settings.db_host, Port=settings.db_port, DBUsername=settings.db_user
    )
    return {
        "host": settings.db_host,
        "port": settings.db_port,
        "dbname": settings.db_name,
        "user": settings.db_user,
        "password": token,
        "sslmode": "require",
    }


def _conninfo(settings: Settings) -> str:
    return "" if settings.db_iam_auth else settings.database_url


def open_connection(settings: Settings | None = None) -> Connection:
    settings = settings or get_settings()
    return psycopg.connect(_conninfo(settings), **_connect_kwargs(settings))


def _single_connection(
    settings: Settings, first: Callable[[Connection], T]
) -> tuple[Connection, T]:
    global _single
    if _single is not None:
        answered = first_on(_single, first)
        if answered is not None:
            return answered
        _discard_single()
    _single = open_connection(settings)
    return _single, first(_single)


def _discard_single() -> None:
    global _single
    if _single is not None:
        close_quietly(_single)
    _single = None


def _get_pool(settings: Settings) -> LendingPool:
    global _pool
    if _pool is None:
        with _lock:
            if _pool is None:
                _pool = LendingPool(
                    lambda: open_connection(settings),
                    max_size=settings.db_pool_max,
                    wait=settings.db_connect_timeout,
                )
    return _pool


@contextmanager
def connection() -> Iterator[Connection]:
    """Lend a healthy connection for one request.

    psycopg.OperationalError escaping from here means the database is unreachable or the
    connection died mid-request; the API layer answers 503 and the connection is replaced.
    """
    with connection_for(select_one) as (conn, _):
        yield conn


@contextmanager
def connection_for(first: Callable[[Connection], T]) -> Iterator[tuple[Connection, T]]:
    """A healthy connection and what `first` answered on it: the request's first statement,
    which is also the check that a kept connection is alive (milequest.db.pool.first_on), so
    the request pays no round trip for the check alone."""
    settings = get_settings()
    if settings.db_mode == "pool":
        pool = _get_pool(settings)
        lent, answer = pool.lend(first)
        try:
            yield lent, answer
        finally:
            pool.give_back(lent)
        return
    with _lock:
        try:
            conn, answer = _single_connection(settings, first)
        except psycopg.OperationalError:
            _discard_single()
            raise
    try:
        yield conn, answer
    except psycopg.OperationalError:
        with _lock:
            _discard_single()
        raise


def reset() -> None:
    """Close everything (tests switch databases; the local server shuts down)."""
    global _pool
    with _lock:
        _discard_single()
        if _pool is not None:
            _pool.close()
            _pool = None


def ping(conn: Connection) -> float:
    """Round trip to the database in milliseconds."""
    started = time.perf_counter()
    conn.execute("SELECT 1")
    return (time.perf_counter() - started) * 1000
