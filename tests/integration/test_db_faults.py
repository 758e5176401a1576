"""Database faults in both connection modes: a refused database is a 503 within 1.5 s, the
first request after it is back succeeds within 2 s, and killed backends are replaced at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.integration.conftest import use_database
from tests.support.api import call
from tests.support.tcp_proxy import TcpProxy

MODES = ["single", "pool"]


def _timed(method: str, path: str, **kwargs: object) -> tuple[int, float]:
    started = time.perf_counter()
    result = call(method, path, **kwargs)  # type: ignore[arg-type]
    return result.status, time.perf_counter() - started


@pytest.fixture
def proxied(database_url: str) -> Iterator[tuple[TcpProxy, str]]:
    parts = urlsplit(database_url)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    proxy.up()
    netloc = f"{parts.username}@127.0.0.1:{proxy.port}"
    try:
        yield proxy, urlunsplit(parts._replace(netloc=netloc))
    finally:
        proxy.down()
        use_database(database_url, "pool")


@pytest.mark.parametrize("mode", MODES)
def test_refused_database_is_503_fast_and_recovers_fast(proxied, make_user, mode):
    proxy, url = proxied
    user = make_user()
    use_database(url, mode)
    assert call("GET", "/users/me", user=user).status == 200  # warm connection(s)

    proxy.down()  # the host is gone: live connections cut, new ones refused
    for path in ("/health", "/users/me", "/users/me"):
        status, took = _timed("GET", path, user=user)
        assert status == 503
        assert took < 1.5, f"{path} took {took:.2f}s to fail"

    proxy.up()
    status, took = _timed("GET", "/users/me", user=user)
    assert status == 200
    assert took < 2.0, f"recovery took {took:.2f}s"


def _kill_backends(database_url: str) -> int:
    with psycopg.connect(database_url, autocommit=True) as admin:
        row = admin.execute(
            """SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
               WHERE datname = current_database() AND pid <> pg_backend_pid()
                 AND backend_type = 'client backend'"""
        ).fetchone()
    return int(row[0]) if row else 0


@pytest.mark.parametrize("mode", MODES)
def test_killed_backends_are_replaced_at_once(database_url, make_user, mode):
    user = make_user()
    use_database(database_url, mode)
    try:
        with ThreadPoolExecutor(4) as workers:  # several pooled connections, all idle after
            assert set(workers.map(lambda _: call("GET", "/users/me", user=user).status, range(8)))
        for _ in range(3):
            assert _kill_backends(database_url) >= 1
            started = time.perf_counter()
            statuses = [call("GET", "/users/me", user=user).status for _ in range(10)]
            took = time.perf_counter() - started
            assert statuses == [200] * 10  # idle dead connections are checked, not lent
            assert took < 2.0, f"10 requests after the kill took {took:.2f}s"
    finally:
        use_database(database_url, "pool")
