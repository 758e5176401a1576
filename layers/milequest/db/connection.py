"""Database connections, per the rules of DESIGN.md.

- Lambda (`db_mode=single`): one connection per execution environment, opened lazily and
  health-checked before reuse, so a connection the proxy or a failover dropped is replaced on
  the next request instead of failing it.
- Local (`db_mode=pool`): a small psycopg_pool pool so the threaded dev server and benchmarks
  run requests concurrently; the pool checks a connection before lending it.

Always autocommit with `prepare_threshold=None` and no session-level SETs: the domain opens
explicit transactions with `conn.transaction()`, and RDS Proxy never has a reason to pin.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from milequest.config import Settings, get_settings
from milequest.db.timing import TimedCursor

Connection = psycopg.Connection[Any]

_lock = threading.Lock()
_single: Connection | None = None
_pool: ConnectionPool[Connection] | None = None


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


def _healthy(conn: Connection) -> bool:
    if conn.closed or conn.broken:
        return False
    try:
        conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _single_connection(settings: Settings) -> Connection:
    global _single
    if _single is not None and not _healthy(_single):
        _discard_single()
    if _single is None:
        _single = open_connection(settings)
    return _single


def _discard_single() -> None:
    global _single
    if _single is not None:
        try:
            _single.close()
        except psycopg.Error:
            pass
    _single = None


def _get_pool(settings: Settings) -> ConnectionPool[Connection]:
    global _pool
    if _pool is None:
        with _lock:
            if _pool is None:
                _pool = ConnectionPool(
                    _conninfo(settings),
                    kwargs=_connect_kwargs(settings),
                    min_size=1,
                    max_size=settings.db_pool_max,
                    check=ConnectionPool.check_connection,
                    timeout=settings.db_connect_timeout,
                    reconnect_timeout=30,
                    open=True,
                    name="milequest",
                )
    return _pool


@contextmanager
def connection() -> Iterator[Connection]:
    """Lend a healthy connection for one request.

    psycopg.OperationalError escaping from here means the database is unreachable or the
    connection died mid-request; the API layer answers 503 and the connection is replaced.
    """
    settings = get_settings()
    if settings.db_mode == "pool":
        with _get_pool(settings).connection() as conn:
            yield conn
        return
    with _lock:
        conn = _single_connection(settings)
    try:
        yield conn
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
