"""The whole sign-up journey over HTTP against `make run` (real server, Cognito emulator)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import LocalApi
from tests.integration.auth.forge import claims_for, sign

PASSWORD = "Walking1Far"
CODE = "123456"  # locally any six-digit code is accepted (docs/architecture.md#local-development)


def _email() -> str:
    return f"journey-{uuid.uuid4().hex[:10]}@example.com"


def _sign_up(api: LocalApi, email: str, name: str = "Journey") -> dict[str, Any]:
    status, _, body = api.request(
        "POST", "/auth/register", {"email": email, "password": PASSWORD, "name": name}
    )
    assert status == 201, body
    assert body["data"]["requiresVerification"] is True
    status, _, body = api.request("POST", "/auth/verify-email", {"email": email, "code": CODE})
    assert (status, body["data"]) == (200, {"verified": True})
    status, _, body = api.request("POST", "/auth/login", {"email": email, "password": PASSWORD})
    assert status == 200, body
    return body["data"]  # type: ignore[no-any-return]


def test_register_verify_login_me_refresh_logout(local_api: LocalApi) -> None:
    email = _email()
    login = _sign_up(local_api, email)
    tokens = login["tokens"]
    assert tokens["tokenType"] == "Bearer"

    for token in (tokens["idToken"], tokens["accessToken"]):
        status, headers, body = local_api.request("GET", "/users/me", token=token)
        assert status == 200, body
        assert body["data"]["user"]["id"] == login["user"]["id"]
        assert body["data"]["user"]["email"] == email
        assert headers["Cache-Control"] == "private, no-store"

    status, _, body = local_api.request(
        "POST", "/auth/refresh", {"refreshToken": tokens["refreshToken"]}
    )
    assert status == 200, body
    fresh = body["data"]["tokens"]
    status, _, _ = local_api.request("GET", "/users/me", token=fresh["idToken"])
    assert status == 200

    status, _, body = local_api.request("POST", "/auth/logout", token=fresh["accessToken"])
    assert (status, body["data"]) == (200, {})
    status, _, body = local_api.request(
        "POST", "/auth/refresh", {"refreshToken": tokens["refreshToken"]}
    )
    assert (status, body["error"]["code"]) == (401, "UNAUTHORIZED")


def test_unverified_login_is_403(local_api: LocalApi) -> None:
    email = _email()
    local_api.request("POST", "/auth/register", {"email": email, "password": PASSWORD, "name": "U"})
    status, _, body = local_api.request(
        "POST", "/auth/login", {"email": email, "password": PASSWORD}
    )
    assert (status, body["error"]["code"]) == (403, "EMAIL_NOT_VERIFIED")


def test_deleted_account_cannot_log_in_and_email_registers_again(local_api: LocalApi) -> None:
    email = _email()
    login = _sign_up(local_api, email, "Leaving")
    token = login["tokens"]["idToken"]
    status, _, body = local_api.request("DELETE", "/users/me", token=token)
    assert (status, body["data"]) == (200, {"deleted": True})

    status, _, body = local_api.request(
        "POST", "/auth/login", {"email": email, "password": PASSWORD}
    )
    assert (status, body["error"]["code"]) == (401, "UNAUTHORIZED")
    # The old ID token is still validly signed until it expires, but finds no account.
    status, _, _ = local_api.request("GET", "/users/me", token=token)
    assert status == 401

    again = _sign_up(local_api, email, "Returning")
    assert again["user"]["id"] != login["user"]["id"]
    assert again["user"]["name"] == "Returning"


def _forged(api: LocalApi, stranger: bool = False, **overrides: Any) -> str:
    issuer = f"https://cognito-idp.eu-west-1.amazonaws.com/{api.info['userPoolId']}"
    claims = claims_for(issuer, api.info["clientId"], str(uuid.uuid4()), **overrides)
    return sign(claims, stranger=stranger)


@pytest.mark.parametrize(
    "case",
    ["bad-signature", "wrong-issuer", "wrong-audience", "expired", "garbage"],
)
def test_bad_tokens_are_401(local_api: LocalApi, case: str) -> None:
    token = {
        "bad-signature": lambda: _forged(local_api, stranger=True),
        "wrong-issuer": lambda: _forged(local_api, iss="https://issuer.example.com/pool"),
        "wrong-audience": lambda: _forged(local_api, aud="another-client"),
        "expired": lambda: _forged(local_api, exp=int(time.time()) - 30),
        "garbage": lambda: "not.a.jwt",
    }[case]()
    # ... on every protected route of the registry, before any handler runs
    from functions.registry import ROUTES
    from tests.integration.test_route_auth import _concrete

    refused = {}
    for route in (r for r in ROUTES if r.auth):
        body = {} if route.method in ("POST", "PUT", "PATCH") else None
        status, _, reply = local_api.request(route.method, _concrete(route.path), body, token)
        refused[route.key] = (status, reply["error"]["code"])
    assert set(refused.values()) == {(401, "UNAUTHORIZED")}, refused


def test_forged_token_with_the_pool_key_is_accepted(local_api: LocalApi) -> None:
    # Control for the cases above: only the claim under test makes them fail.
    status, _, body = local_api.request("GET", "/users/me", token=_forged(local_api))
    assert status == 200, body
