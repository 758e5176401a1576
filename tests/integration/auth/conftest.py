"""Auth fixtures: one moto Cognito emulator for the session, the app's settings pointed at it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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
    saved = {k: os.environ.get(k) for k in _COGNITO_ENV}
    server, pool = start()
    pool.export()
    get_settings.cache_clear()
    get_cognito.cache_clear()
    try:
        yield pool
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()
        get_cognito.cache_clear()


_COGNITO_ENV = ("COGNITO_ENDPOINT_URL", "COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "AWS_REGION")


@pytest.fixture
def idp(cognito: LocalCognito) -> Any:
    """A raw boto3 client on the emulator, to inspect the pool."""
    return boto3.client(
        "cognito-idp", region_name=cognito.region, endpoint_url=cognito.endpoint_url
    )


def new_email(prefix: str = "walker") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


@dataclass
class Account:
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
