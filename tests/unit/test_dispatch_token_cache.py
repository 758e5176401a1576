"""The local server's token check remembers a verified token, never past its expiry, and never
remembers a refusal."""

from __future__ import annotations

import time
from typing import Any

from local.dispatch import _claims
from local.tokens import InvalidToken


class CountingVerifier:
    def __init__(self, claims: dict[str, Any] | None) -> None:
        self.claims = claims
        self.calls = 0

    def verify(self, token: str) -> dict[str, Any]:
        self.calls += 1
        if self.claims is None:
            raise InvalidToken("bad signature")
        return self.claims


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_verified_token_is_checked_once_while_valid() -> None:
    verifier = CountingVerifier({"sub": "u1", "exp": time.time() + 300})
    first = _claims(verifier, _bearer("tok-valid"))  # type: ignore[arg-type]
    again = _claims(verifier, _bearer("tok-valid"))  # type: ignore[arg-type]
    assert first is not None and first["sub"] == "u1" and again == first
    assert verifier.calls == 1


def test_an_expired_token_is_refused_even_when_remembered(monkeypatch: Any) -> None:
    now = time.time()
    verifier = CountingVerifier({"sub": "u2", "exp": now + 300})
    assert _claims(verifier, _bearer("tok-expiring")) is not None  # type: ignore[arg-type]
    monkeypatch.setattr(time, "time", lambda: now + 301)
    assert _claims(verifier, _bearer("tok-expiring")) is None  # type: ignore[arg-type]


def test_a_refused_token_is_checked_again_each_time() -> None:
    verifier = CountingVerifier(None)
    assert _claims(verifier, _bearer("tok-bad")) is None  # type: ignore[arg-type]
    assert _claims(verifier, _bearer("tok-bad")) is None  # type: ignore[arg-type]
    assert verifier.calls == 2
    assert _claims(verifier, {}) is None  # type: ignore[arg-type]
