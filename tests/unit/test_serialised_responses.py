"""`Serialised`: JSON text a route built elsewhere goes into the envelope unparsed, with the
route's headers, and OpenAPI documents the model it follows."""

from __future__ import annotations

import json

from functions.registry import ROUTES
from milequest.api.responses import Serialised, etag_matches, strong_etag, success
from milequest.models.users import DataExport


def test_the_text_is_the_data_of_the_envelope_as_it_is() -> None:
    text = '{"b":1.0,"a":["é",null],"t":"2026-01-02T03:04:05+00:00"}'
    response = success(Serialised(text), 200, {"Cache-Control": "private, no-store"})
    assert response["body"] == '{"success":true,"data":' + text + "}"
    assert response["headers"] == {
        "Content-Type": "application/json",
        "Cache-Control": "private, no-store",
    }
    # The same bytes a model's dump gives for the same content.
    assert response["body"] == success(json.loads(text))["body"]


def test_a_serialised_body_gets_an_etag_like_any_other() -> None:
    body = success(Serialised('{"a":1}'))["body"]
    assert etag_matches(strong_etag(body), strong_etag(success({"a": 1})["body"]))


def test_openapi_documents_the_model_behind_the_text() -> None:
    (route,) = [r for r in ROUTES if r.key == "GET /users/me/export"]
    assert route.response_shape is DataExport
