"""Verify Cognito JWTs the way API Gateway's JWT authorizer does: signature against the pool's
JWKS, issuer, audience (ID token `aud` or access token `client_id`), expiry, token use."""

from __future__ import annotations

from typing import Any

import jwt

from local.cognito import LocalCognito


class InvalidToken(Exception):
    pass


class TokenVerifier:
    def __init__(self, cognito: LocalCognito) -> None:
        self._issuer = cognito.issuer
        self._client_id = cognito.client_id
        self._jwks = jwt.PyJWKClient(cognito.jwks_url, cache_keys=True)

    def verify(self, token: str) -> dict[str, Any]:
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=self._issuer,
                options={"verify_aud": False, "require": ["exp", "iss", "sub", "token_use"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        use = claims.get("token_use")
        audience = claims.get("aud") if use == "id" else claims.get("client_id")
        if use not in ("id", "access") or audience != self._client_id:
            raise InvalidToken("token not issued to this client")
        return claims
