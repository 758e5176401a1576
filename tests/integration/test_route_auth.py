"""Every route's authentication, driven by the registry: a new route is covered automatically,
and a new public (no sign-in) route must be acknowledged here."""

from __future__ import annotations

import pytest

from functions.registry import ROUTES
from tests.support.api import call

PUBLIC = {
    "GET /health",
    "GET /teams/public",
    "GET /achievements",
    "GET /leaderboards/global",
    "GET /leaderboards/teams",
    "POST /auth/register",
    "POST /auth/verify-email",
    "POST /auth/resend-code",
    "POST /auth/login",
    "POST /auth/refresh",
    "POST /auth/forgot-password",
    "POST /auth/reset-password",
    "POST /auth/logout",  # signs out whatever it is given; a client with no token gets 200
    "GET /push/vapid-public-key",
    "GET /shares/{shareId}",
}
SOME_ID = "00000000-0000-4000-8000-000000000001"


def _concrete(path: str) -> str:
    for name in ("teamId", "userId", "goalId", "activityId", "inviteId", "commentId", "id"):
        path = path.replace("{" + name + "}", SOME_ID)
    return path.replace("{emoji}", "%F0%9F%94%A5")


def test_public_routes_are_exactly_the_acknowledged_ones() -> None:
    assert {r.key for r in ROUTES if not r.auth} == PUBLIC


@pytest.mark.parametrize("route", [r for r in ROUTES if r.auth], ids=lambda r: r.key)
def test_protected_route_without_a_token_is_401(route) -> None:
    r = call(route.method, _concrete(route.path), json_body={} if route.body else None)

    assert r.status == 401
    assert r.code == "UNAUTHORIZED"
