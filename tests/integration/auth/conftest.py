"""Auth fixtures: one moto Cognito emulator for the session, the app's settings pointed at it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

import boto3
import pytest

from local.cognito import LocalCognito, start
from milequest.cognito import get_cognito
from milequest.config import get_settings
from tests.support.api import call

PASSWORD = "Walking1Far"
CODE = "123456"  # the emulator accepts any code


@pytest.fixture(scope="session")
def cognito(app_database: str) -> Iterator[LocalCognito]:
    server, pool = start()
    try:
        with patch.dict(os.environ):  # what pool.export() sets is undone on exit
            pool.export()
            _clear_caches()
            yield pool
    finally:
        server.stop()
        _clear_caches()


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_cognito.cache_clear()


@pytest.fixture
def idp(cognito: LocalCognito) -> Any:
    """A raw boto3 client on the emulator, to inspect the pool."""
    return boto3.client(
        "cognito-idp", region_name=cognito.region, endpoint_url=cognito.endpoint_url
    )


def new_email(prefix: str = "walker") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


@dataclass(frozen=True)
class Account:
    """A registered, verified and signed-in account: what the auth tests start from."""

    email: str
    password: str
    user: dict[str, Any]
    tokens: dict[str, Any]


def register(email: str, password: str = PASSWORD, name: str = "Walker", **extra: Any) -> Any:
    return call(
        "POST",
        "/auth/register",
        json_body={"email": email, "password": password, "name": name, **extra},
    )


@pytest.fixture
def signed_up(cognito: LocalCognito) -> Any:
    """Register, verify and log in a fresh account; returns an Account."""

    def make(name: str = "Walker", email: str | None = None) -> Account:
        email = email or new_email(name.lower())
        assert register(email, name=name).status == 201
        verified = call("POST", "/auth/verify-email", json_body={"email": email, "code": CODE})
        assert verified.status == 200, verified.body
        data = call("POST", "/auth/login", json_body={"email": email, "password": PASSWORD}).data
        return Account(email, PASSWORD, data["user"], data["tokens"])

    return make
