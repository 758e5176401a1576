"""Notifications fixtures: a VAPID key pair, moto's SES, a local push service, and helpers."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import boto3
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from moto import mock_aws

from local import push_service
from milequest import vapid
from milequest.config import get_settings
from milequest.domain import notifications_email

SENDER = "notifications@milequest.test"


def _reset() -> None:
    get_settings.cache_clear()
    vapid.keys.cache_clear()
    # A test may have put a stand-in client in place (it has no cache to clear).
    getattr(notifications_email.client, "cache_clear", lambda: None)()


@pytest.fixture(autouse=True)
def no_real_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Without the `ses` fixture, email goes to a closed local port (refused at once): a test
    must never reach AWS, nor look for credentials on the network."""
    monkeypatch.setenv("SES_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    _reset()
    yield
    _reset()


@pytest.fixture
def vapid_keys() -> Iterator[dict[str, str]]:
    pair = vapid.generate()
    os.environ["VAPID_PRIVATE_KEY"] = pair["privateKey"]
    os.environ["VAPID_SUBJECT"] = "mailto:ops@milequest.test"
    _reset()
    yield pair
    os.environ.pop("VAPID_PRIVATE_KEY", None)
    os.environ.pop("VAPID_SUBJECT", None)
    _reset()


@pytest.fixture
def ses() -> Iterator[Any]:
    """moto's SES with the sender verified; yields the backend holding what was sent."""
    env = {
        "EMAIL_FROM": SENDER,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }
    with patch.dict(os.environ, env), mock_aws():  # the environment is restored on exit
        os.environ.pop("SES_ENDPOINT_URL", None)
        _reset()
        boto3.client("sesv2", region_name="eu-west-1").create_email_identity(EmailIdentity=SENDER)
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        yield ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"]
    _reset()


@pytest.fixture
def push() -> Iterator[push_service.PushService]:
    service = push_service.start()
    yield service
    service.stop()


class BrowserKeys:
    """The browser side of a subscription: its ECDH key pair and auth secret."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @property
    def auth(self) -> str:
        return base64.urlsafe_b64encode(self.auth_secret).decode().rstrip("=")

    def subscription(self, endpoint: str) -> dict[str, Any]:
        return {"endpoint": endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
