"""A lost database connection is detected and replaced; an unreachable database is a 503."""

from __future__ import annotations

import psycopg
import pytest

from milequest.db import connection as db_connection
from tests.integration.conftest import use_database
from tests.support.api import call


def _terminate_app_backends(database_url: str) -> int:
    with psycopg.connect(database_url, autocommit=True) as admin:
        return admin.execute(
            """SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
               WHERE datname = current_database() AND pid <> pg_backend_pid()"""
        ).fetchone()[0]


@pytest.mark.parametrize("mode", ["single", "pool"])
def test_next_request_recovers_after_backend_is_terminated(database_url, mode):
    use_database(database_url, mode)
    try:
        # Given a warm connection
        assert call("GET", "/health").status == 200
        # When the server kills it (failover, proxy recycle, admin action)
        assert _terminate_app_backends(database_url) >= 1
        # Then the next request is served on a fresh connection
        result = call("GET", "/health")
        assert result.status == 200, result.body
        assert result.data["database"]["status"] == "ok"
    finally:
        use_database(database_url, "pool")


def test_connection_killed_mid_request_is_503_then_recovers(database_url):
    from local.events import build_event
    from milequest.api.entry import handle
    from milequest.api.routing import Param, Route

    use_database(database_url, "single")
    request = (Param("req", "request"),)

    def killer(req):
        pid = req.conn.info.backend_pid
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        req.conn.execute("SELECT 1")  # the dead connection fails here, mid-request
        return {}

    route = Route(
        "GET", "/kill", "functions.test.handler", "kill", "kill", killer, request, auth=False
    )

    try:
        response = handle(route, build_event(route, "/kill", {}))
        assert response["statusCode"] == 503
        assert response["headers"]["Retry-After"]
        assert '"UNAVAILABLE"' in response["body"]
        assert call("GET", "/health").status == 200
    finally:
        use_database(database_url, "pool")


def test_unreachable_database_is_503_with_retry_after(database_url, monkeypatch):
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "1")
    use_database("postgresql://postgres@127.0.0.1:1/nowhere", "single")
    try:
        result = call("GET", "/health")
        assert result.status == 503
        assert result.code == "UNAVAILABLE"
        assert int(result.headers["Retry-After"]) >= 1
        assert result.error["details"]["database"]["status"] == "unavailable"
    finally:
        monkeypatch.delenv("DB_CONNECT_TIMEOUT")
        use_database(database_url, "pool")
        db_connection.reset()
