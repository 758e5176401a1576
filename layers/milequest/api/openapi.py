"""OpenAPI 3.1 document generated from the route registry and the pydantic models."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from milequest.api.routing import Public, Route

REF = "#/components/schemas/{model}"


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["success", "error"],
        "properties": {
            "success": {"const": False},
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "details": {},
                },
            },
        },
    }


def _models(routes: Iterable[Route]) -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for route in routes:
        for model in (route.body, route.query):
            if model is not None:
                found[model.__name__] = model
    return list(found.values())


def _data_schema(response: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if response is None:
        return {"type": "object"}
    schema = TypeAdapter(response).json_schema(
        by_alias=True, ref_template=REF, mode="serialization"
    )
    defs.update(schema.pop("$defs", {}))
    return schema


def _parameters(route: Route) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in route.path_params
    ]
    if route.query is not None:
        schema = route.query.model_json_schema(by_alias=True, ref_template=REF)
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append(
                {"name": name, "in": "query", "required": name in required, "schema": prop}
            )
    if route.mutating:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 255},
            }
        )
    return params


def _success(
    route: Route, description: str, data: Any, defs: dict[str, Any], headers: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {
            "Cache-Control": {"schema": {"type": "string", "example": route.cache.header}},
            **{name: {"schema": {"type": "string"}} for name in headers},
        },
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["success", "data"],
                    "properties": {
                        "success": {"const": True},
                        "data": _data_schema(data, defs),
                    },
                }
            }
        },
    }


def _operation(route: Route, defs: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.name.replace("-", "_"),
        "summary": route.summary,
        "tags": [route.area],
        "parameters": _parameters(route),
        "responses": {
            str(route.status): _success(route, "Success", route.response_shape, defs),
            **{
                str(a.status): _success(route, a.description, a.data, defs, a.headers)
                for a in route.answers
            },
            "default": {
                "description": "Error envelope",
                "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
            },
        },
    }
    if route.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": REF.format(model=route.body.__name__)}}
            },
        }
    if route.auth:
        op["security"] = [{"cognito": []}]
    if isinstance(route.cache, Public):
        op["responses"]["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
    return op


def generate(routes: Iterable[Route], version: str = "1.0.0") -> dict[str, Any]:
    routes = list(routes)
    _, top = models_json_schema(
        [(m, "validation") for m in _models(routes)], ref_template=REF, by_alias=True
    )
    defs: dict[str, Any] = dict(top.get("$defs", {}))
    paths: dict[str, dict[str, Any]] = {}
    for route in sorted(routes, key=lambda r: (r.path, r.method)):
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, defs)
    defs["Error"] = _error_schema()
    return {
        "openapi": "3.1.0",
        "info": {"title": "Mile Quest API", "version": version},
        "servers": [{"url": "http://127.0.0.1:3001", "description": "local (make run)"}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(defs.items())),
            "securitySchemes": {
                "cognito": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
