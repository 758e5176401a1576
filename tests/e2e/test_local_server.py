"""`make run` serves the API over HTTP: health, the 404 envelope, request ids."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LocalApi


def test_health_reports_the_database_ok(local_api: LocalApi) -> None:
    status, headers, body = local_api.request("GET", "/health")

    assert status == 200
    assert body["success"] is True
    assert body["data"]["status"] == "ok"
    assert body["data"]["database"]["status"] == "ok"
    assert headers.get("X-Request-Id")


def test_unknown_path_gets_the_404_envelope(local_api: LocalApi) -> None:
    status, headers, body = local_api.request("GET", "/no/such/route")

    assert status == 404
    assert body["success"] is False
    assert body["error"]["code"] == "NOT_FOUND"
    assert headers.get("X-Request-Id")


def test_protected_route_without_a_token_is_401(local_api: LocalApi) -> None:
    # Any registered protected route: the server verifies tokens before calling the handler.
    from functions.registry import ROUTES

    route = next((r for r in ROUTES if r.auth and r.method == "GET" and "{" not in r.path), None)
    if route is None:
        pytest.skip("no protected GET route registered yet")
    status, _, body = local_api.request("GET", route.path)

    assert status == 401
    assert body["error"]["code"] == "UNAUTHORIZED"
