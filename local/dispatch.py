"""One local HTTP request → the Lambda handler API Gateway would call, → the HTTP answer.

Independent of the HTTP server: the route match (API Gateway's precedence), the JWT check of
its authorizer, its CORS answers and its JSON 404/405 for unknown routes and methods.
"""

from __future__ import annotations

import importlib
import re
import time
import uuid
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from functions.registry import ROUTES
from local.events import build_event
from local.tokens import InvalidToken, TokenVerifier
from milequest.api.responses import failure
from milequest.api.routing import Route

_COMPILED: list[tuple[Route, re.Pattern[str]]] = [(r, r.pattern()) for r in ROUTES]
# Literal segments win over parameters (/teams/public before /teams/{teamId}), as in API
# Gateway: each method's routes, those with fewer parameters first (sorted once, not per call).
_BY_METHOD: dict[str, list[tuple[Route, re.Pattern[str]]]] = {
    method: sorted(
        ((r, p) for r, p in _COMPILED if r.method == method), key=lambda rp: len(rp[0].path_params)
    )
    for method in {r.method for r in ROUTES}
}
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": (
        "Authorization,Content-Type,Idempotency-Key,If-None-Match,X-Request-Id"
    ),
    "Access-Control-Allow-Methods": "GET,POST,PUT,PATCH,DELETE,OPTIONS",
    "Access-Control-Expose-Headers": "ETag,Retry-After,X-Request-Id,Idempotent-Replayed",
}


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    for route, pattern in _BY_METHOD.get(method, ()):
        m = pattern.match(path)
        if m:
            return route, m.groupdict()
    return None


def allowed_methods(path: str) -> list[str]:
    return sorted({r.method for r, p in _COMPILED if p.match(path)})


@cache
def load_handler(dotted: str) -> Any:
    module, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attr)


class LocalLambdaContext:
    function_name = "local"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:local"
    aws_request_id = "local"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 29_000


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def answer(result: dict[str, Any]) -> Answer:
    """A Lambda result (payload 2.0) as the HTTP answer, with the CORS headers added."""
    headers = {**CORS, **(result.get("headers") or {})}
    headers.setdefault("X-Request-Id", str(uuid.uuid4()))
    return Answer(int(result["statusCode"]), headers, (result.get("body") or "").encode())


def dispatch(
    verifier: TokenVerifier,
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
    body: bytes,
    source_ip: str,
) -> Answer:
    if method == "OPTIONS":  # CORS preflight, answered by API Gateway's CORS config in the cloud
        return Answer(204, {**CORS, "Access-Control-Max-Age": "600"}, b"")
    found = match(method, path)
    if found is None:
        allowed = allowed_methods(path)
        if allowed:
            allow = ",".join([*allowed, "OPTIONS"])
            msg = f"{method} is not allowed on {path}"
            return answer(failure(405, "METHOD_NOT_ALLOWED", msg, None, {"Allow": allow}))
        return answer(failure(404, "NOT_FOUND", f"No route for {method} {path}"))
    route, params = found
    claims = None
    if route.auth:
        claims = _claims(verifier, headers)
        if claims is None:
            return answer(failure(401, "UNAUTHORIZED", "Missing or invalid token"))
    event = build_event(
        route, path, params, query=query, headers=headers, body=body, claims=claims,
        source_ip=source_ip,
    )  # fmt: skip
    started = time.perf_counter()
    result = load_handler(route.handler)(event, LocalLambdaContext())
    done = answer(result)
    # How long the handler took, for a client to tell the serving path from the handler
    # (`make bench` reads it); Server-Timing is the standard header for it.
    done.headers["Server-Timing"] = f"handler;dur={(time.perf_counter() - started) * 1000:.3f}"
    return done


def _claims(verifier: TokenVerifier, headers: dict[str, str]) -> dict[str, Any] | None:
    auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    if not token:
        return None
    try:
        claims = _verified(verifier, token)
    except InvalidToken:
        return None
    # The signature and the fixed claims of a token never change; its expiry does.
    return claims if float(claims["exp"]) > time.time() else None


@lru_cache(maxsize=1024)
def _verified(verifier: TokenVerifier, token: str) -> dict[str, Any]:
    """A token's claims once verified: the RS256 check costs more than most handlers, and a
    client sends the same token until it expires. Only successes are cached (an exception is
    not), so a token refused once is checked again next time."""
    return verifier.verify(token)
