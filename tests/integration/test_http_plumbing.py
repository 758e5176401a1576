"""The plumbing every route shares: envelope, validation, limits, caching, request ids."""

from __future__ import annotations

import json
from dataclasses import replace

from pydantic import Field

from local.events import build_event
from milequest.api.entry import handle
from milequest.api.routing import Param, Public, Route
from milequest.models.base import InputModel
from tests.support.api import call


class Echo(InputModel):
    name: str = Field(min_length=1, max_length=10)
    count: int = Field(ge=1)


def _route(method, path, name, **options) -> Route:
    """A route outside the registry whose function (given per test) receives the request."""
    req = (Param("req", "request"),)
    return Route(method, path, "functions.test.handler", name, name, fn=None, params=req, **options)


ECHO = _route("POST", "/echo", "echo", auth=False, body=Echo)
PUBLIC = _route("GET", "/pub", "pub", auth=False, cache=Public(30))
PRIVATE = _route("GET", "/me", "me")


def _invoke(route: Route, fn, body: bytes | None = None, headers=None, claims=None):
    event = build_event(route, route.path, {}, body=body, headers=headers or {}, claims=claims)
    response = handle(replace(route, fn=fn), event)
    return response, (json.loads(response["body"]) if response.get("body") else None)


def test_health_reports_database_ok():
    result = call("GET", "/health")
    assert result.status == 200
    assert result.data["status"] == "ok"
    assert result.data["database"]["status"] == "ok"
    assert result.headers["Cache-Control"] == "private, no-store"
    assert result.headers["X-Request-Id"]


def test_success_envelope_and_model_validation():
    response, body = _invoke(ECHO, lambda req: {"got": req.body.name}, b'{"name":"Ann","count":2}')
    assert response["statusCode"] == 200
    assert body == {"success": True, "data": {"got": "Ann"}}


def test_validation_errors_list_fields():
    _, body = _invoke(ECHO, lambda req: {}, b'{"name":"","count":0,"extra":1}')
    assert body["success"] is False
    assert body["error"]["code"] == "VALIDATION_ERROR"
    fields = {d["field"] for d in body["error"]["details"]}
    assert fields == {"name", "count", "extra"}


def test_malformed_json_and_non_object_bodies_are_400():
    for raw in (b"{not json", b"[1,2]", b"\xff\xfe"):
        response, body = _invoke(ECHO, lambda req: {}, raw)
        assert response["statusCode"] == 400
        assert body["error"]["code"] == "VALIDATION_ERROR"


def test_body_over_256_kib_is_413():
    response, body = _invoke(ECHO, lambda req: {}, b"x" * (256 * 1024 + 1))
    assert response["statusCode"] == 413
    assert body["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_protected_route_without_claims_is_401():
    response, body = _invoke(PRIVATE, lambda req: {})
    assert response["statusCode"] == 401
    assert body["error"]["code"] == "UNAUTHORIZED"


def test_unexpected_error_is_500_without_internals():
    def boom(req):
        raise RuntimeError("SELECT secret FROM internals")

    response, body = _invoke(ECHO, boom, b'{"name":"a","count":1}')
    assert response["statusCode"] == 500
    assert "SELECT" not in response["body"] and "Traceback" not in response["body"]
    assert body["error"]["code"] == "INTERNAL_ERROR"


def test_public_route_has_etag_and_answers_304():
    response, _ = _invoke(PUBLIC, lambda req: {"n": 1})
    assert response["headers"]["Cache-Control"] == "public, max-age=30"
    etag = response["headers"]["ETag"]
    again, body = _invoke(PUBLIC, lambda req: {"n": 1}, headers={"If-None-Match": etag})
    assert again["statusCode"] == 304 and body is None
    changed, _ = _invoke(PUBLIC, lambda req: {"n": 2}, headers={"If-None-Match": etag})
    assert changed["statusCode"] == 200


def test_request_id_is_echoed_or_generated():
    response, _ = _invoke(PUBLIC, lambda req: {}, headers={"X-Request-Id": "client-req-12345"})
    assert response["headers"]["X-Request-Id"] == "client-req-12345"
    response, _ = _invoke(PUBLIC, lambda req: {}, headers={"X-Request-Id": "bad id!"})
    assert response["headers"]["X-Request-Id"] != "bad id!"
