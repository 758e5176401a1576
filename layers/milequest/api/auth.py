"""Who is calling: read the JWT claims where API Gateway's JWT authorizer puts them.

In the cloud API Gateway has already verified the token (signature, issuer, audience, expiry);
locally the dev server does the same verification before it builds the event. Handlers never
see a token, only claims.
"""

from __future__ import annotations

from typing import Any

from milequest.api.request import Caller


def caller_from_event(event: dict[str, Any]) -> Caller | None:
    claims = (
        ((event.get("requestContext") or {}).get("authorizer", {}) or {})
        .get("jwt", {})
        .get("claims")
    )
    if not claims or not claims.get("sub"):
        return None
    verified = claims.get("email_verified")
    return Caller(
        sub=str(claims["sub"]),
        email=claims.get("email"),
        name=claims.get("name"),
        email_verified=str(verified).lower() == "true",
        claims=dict(claims),
    )
