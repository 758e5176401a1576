"""The Web Push application server key pair (VAPID, RFC 8292).

From the settings locally (`make run` generates them), from Secrets Manager in the cloud
(VAPID_SECRET_ARN, a JSON secret {"privateKey", "publicKey"}); read on first use and cached for
the life of the execution environment, never at import time and never logged.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

from milequest.config import get_settings


@dataclass(frozen=True)
class VapidKeys:
    private_key: ec.EllipticCurvePrivateKey
    subject: str

    @property
    def public_key(self) -> str:
        """The uncompressed point, base64url without padding: what browsers subscribe with."""
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    def vapid(self) -> Vapid:
        return Vapid(private_key=self.private_key)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """A PEM private key, or the raw 32-byte scalar base64url-encoded (web-push tools' form)."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("VAPID key must be an EC P-256 key")
        return key
    scalar = int.from_bytes(b64url_decode(text), "big")
    return ec.derive_private_key(scalar, ec.SECP256R1())


def generate() -> dict[str, str]:
    """A fresh key pair in the form the settings take (for the local stack and tests)."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {"privateKey": pem, "publicKey": VapidKeys(key, "").public_key}


class VapidNotConfigured(RuntimeError):
    pass


@lru_cache(maxsize=1)
def keys() -> VapidKeys:
    settings = get_settings()
    private = settings.vapid_private_key
    if private is None and settings.vapid_secret_arn:
        import boto3  # here: the routes that only read the public key never pay for it

        client = boto3.client("secretsmanager", region_name=settings.aws_region)
        secret = client.get_secret_value(SecretId=settings.vapid_secret_arn)["SecretString"]
        private = json.loads(secret)["privateKey"]
    if not private:
        raise VapidNotConfigured("no VAPID key configured")
    return VapidKeys(parse_private_key(private), settings.vapid_subject)
