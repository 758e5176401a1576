"""The one Lambda entry of every route: `area_handler(routes)` is an area's handler.

Every route goes through the same steps: request id, size limit, parsing and validation against
the route's models, the caller from the JWT claims, a database connection, the caller's user row,
optional idempotency, the handler, the envelope, cache headers, and one structured log line.
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from collections.abc import Callable
from typing import Any
from uuid import UUID

import psycopg
from pydantic import ValidationError

from milequest.api import idempotency, tracing
from milequest.api.auth import caller_from_event
from milequest.api.errors import error_response, internal_error, validation_details
from milequest.api.json_body import parse_body
from milequest.api.request import Caller, Request
from milequest.api.responses import Reply, etag_matches, mirrored, strong_etag, success
from milequest.api.routing import Public, Route
from milequest.db import connection as db
from milequest.db import timing
from milequest.db.pool import select_one
from milequest.domain.errors import (
    DomainError,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)
from milequest.domain.identity import find_user, known_or_created
from milequest.observability import (
    MetricUnit,
    bind_request_keys,
    clear_request_keys,
    logger,
    metrics,
    metrics_published,
)

MAX_BODY_BYTES = 256 * 1024
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def area_handler(routes: tuple[Route, ...]) -> LambdaHandler:
    """The Lambda handler of an area: API Gateway names the route in the event's routeKey.

    Every route of the area gets its own function in the cloud, all with this handler, so a
    function imports only its area's code."""
    by_key = {route.key: route for route in routes}

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        route = by_key.get(str(event.get("routeKey", "")))
        if route is None:
            return error_response(NotFound("No such route"))
        return handle(route, event)

    if any(route.area in tracing.TRACED_AREAS for route in routes):
        return tracing.traced(handler)
    return handler


def handle(route: Route, event: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    request_id = _request_id(event, headers)
    stats = timing.start_request()
    bind_request_keys(request_id=request_id, route=route.key)
    req: Request | None = None
    failed_tx = False
    try:
        req = _parse(route, event, headers, request_id)
        response = _run(req, _raw_body(event))
    except DomainError as err:
        response = error_response(err)
    except (psycopg.errors.DataError, psycopg.errors.CheckViolation):
        # Input the models let through but the database refuses (NUL characters, values that
        # round to zero, timestamps out of range): the client's mistake, nothing was written.
        logger.info("input refused by the database")
        response = error_response(
            ValidationFailed("Invalid request", [{"field": "body", "message": "out of range"}])
        )
    except psycopg.OperationalError as err:
        # Unreachable database, failover or a connection killed mid-request: nothing was
        # committed (the transaction died with it); the client may retry.
        logger.warning("database unavailable", extra={"error": type(err).__name__})
        failed_tx = True
        response = error_response(Unavailable())
    except psycopg.Error:
        logger.exception("database error")
        failed_tx = True
        response = internal_error()
    except Exception:
        logger.exception("unhandled error")
        response = internal_error()
    if route.mirror:
        response = mirrored(response)
    response.setdefault("headers", {})["X-Request-Id"] = request_id
    _observe(route, req, response, started, stats, failed_tx)
    return response


def _request_id(event: dict[str, Any], headers: dict[str, str]) -> str:
    given = headers.get("x-request-id", "")
    if _REQUEST_ID.match(given):
        return given
    return str((event.get("requestContext") or {}).get("requestId") or uuid.uuid4())


def _raw_body(event: dict[str, Any]) -> bytes:
    body = event.get("body")
    if body is None:
        return b""
    if event.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body.encode() if isinstance(body, str) else bytes(body)


def _parse(
    route: Route, event: dict[str, Any], headers: dict[str, str], request_id: str
) -> Request:
    raw = _raw_body(event)
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge("Request body exceeds 256 KiB")
    req = Request(
        route=route,
        request_id=request_id,
        path_params=dict(event.get("pathParameters") or {}),
        headers=headers,
        raw_query=dict(event.get("queryStringParameters") or {}),
        caller=caller_from_event(event),
    )
    if route.auth and req.caller is None:
        raise Unauthorized("Sign in required")
    if route.query is not None:
        req.query = _validate(route.query, req.raw_query, "")
    if route.body is not None:
        req.body = parse_body(raw, route.body)
    return req


def _validate(model: Any, data: dict[str, Any], prefix: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed("Invalid request", validation_details(exc, prefix)) from None


def _call(req: Request) -> Any:
    """Call the route's function with the parameters it declared."""
    kwargs: dict[str, Any] = {}
    for p in req.route.params:
        if p.source == "request":
            kwargs[p.name] = req
        elif p.source == "body":
            kwargs[p.name] = req.body
        elif p.source == "query":
            kwargs[p.name] = req.query
        else:
            kwargs[p.name] = req.path_uuid(p.path_name) if p.as_uuid else req.path(p.path_name)
    return req.route.fn(**kwargs)


def _run(req: Request, raw_body: bytes) -> dict[str, Any]:
    if not req.route.uses_db:
        return _respond(req, _call(req))
    c = req.caller
    with db.connection_for(_first_statement(c)) as (conn, found):
        req.conn = conn
        if c is not None:
            req.user_id = known_or_created(conn, found, c.sub, c.email, c.name, c.email_verified)
            bind_request_keys(user_id=str(req.user_id))
        key = req.header("idempotency-key")
        if req.route.mutating and key is not None:
            return idempotency.run_once(req, key, raw_body, lambda: _respond(req, _call(req)))
        return _respond(req, _call(req))


def _first_statement(caller: Caller | None) -> Callable[[psycopg.Connection[Any]], UUID | None]:
    """A signed-in caller's users lookup is the request's first statement, and with that also
    the check that a kept connection is alive: no round trip goes to the check alone."""
    if caller is None:
        return select_one
    sub = caller.sub
    return lambda conn: find_user(conn, sub)


def _respond(req: Request, result: Any) -> dict[str, Any]:
    route = req.route
    status, extra = route.status, {}
    if isinstance(result, Reply):
        status, extra, result = result.status or route.status, result.headers, result.data
    response = success(result, status, {"Cache-Control": route.cache.header, **extra})
    if isinstance(route.cache, Public) and route.cache.vary:
        response["headers"]["Vary"] = ", ".join(route.cache.vary)
    if isinstance(route.cache, Public) and status == 200:
        etag = strong_etag(response["body"])
        response["headers"]["ETag"] = etag
        if etag_matches(req.header("if-none-match"), etag):
            response = {"statusCode": 304, "headers": {**response["headers"]}, "body": ""}
            response["headers"].pop("Content-Type", None)
    return response


def _observe(
    route: Route,
    req: Request | None,
    response: dict[str, Any],
    started: float,
    stats: timing.QueryStats,
    failed_tx: bool,
) -> None:
    latency_ms = round((time.perf_counter() - started) * 1000, 2)
    status = response["statusCode"]
    logger.info(
        "request",
        extra={
            "status": status,
            "latency_ms": latency_ms,
            "db_queries": stats.count,
            "db_ms": round(stats.total_ms, 2),
            "user_id": str(req.user_id) if req and req.user_id else None,
        },
    )
    clear_request_keys()
    if not metrics_published():
        return  # local runs and tests: Powertools would collect the values only to drop them
    if stats.count:
        metrics.add_metric(name="QueryDuration", unit=MetricUnit.Milliseconds, value=stats.max_ms)
    if stats.slow:
        metrics.add_metric(name="SlowQueries", unit=MetricUnit.Count, value=stats.slow)
    if failed_tx:
        metrics.add_metric(name="FailedTransactions", unit=MetricUnit.Count, value=1)
    if not (stats.count or failed_tx):
        return  # nothing recorded (health without a database round trip, early 4xx)
    try:
        metrics.flush_metrics()
    except Exception:  # metrics must never fail a request
        logger.debug("metrics flush failed")
    finally:
        # A flush that failed kept the values: drop them so they never pile up.
        metrics.clear_metrics()
