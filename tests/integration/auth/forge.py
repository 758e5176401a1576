"""Tokens signed with the emulator's own key (or a stranger's), to test verification."""

from __future__ import annotations

import gzip
import json
import time
from importlib import resources
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _moto_key() -> Any:
    raw = resources.files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz")
    keys = json.loads(gzip.decompress(raw.read_bytes()))
    jwk = keys["keys"][0] if "keys" in keys else keys
    return jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk))


def sign(claims: dict[str, Any], *, stranger: bool = False) -> str:
    """RS256 with kid "dummy" (moto's key id); `stranger` signs with a fresh unrelated key."""
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048) if stranger else _moto_key()
    )
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy"})


def claims_for(issuer: str, audience: str, sub: str, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": issuer,
        "sub": sub,
        "aud": audience,
        "token_use": "id",
        "email": f"{sub}@example.com",
        "email_verified": True,
        "iat": now,
        "exp": now + 600,
        **overrides,
    }
