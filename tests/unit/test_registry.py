"""The route registry is the one source of truth: every route resolves to its handler, every
handler module is registered, and openapi.json matches the code."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import functions
from functions.registry import ROUTES
from local.openapi import render
from local.server import match

ROOT = Path(__file__).resolve().parents[2]
NOT_ROUTES = {"functions.registry", "functions.entry"}


def test_route_keys_and_names_are_unique():
    assert len({r.key for r in ROUTES}) == len(ROUTES)
    assert len({r.name for r in ROUTES}) == len(ROUTES)


def test_every_route_resolves_to_an_entrypoint_handler():
    for route in ROUTES:
        module = importlib.import_module(route.module)
        handler = module.handler
        assert callable(handler), route.key
        assert handler.__name__.endswith("_handler"), f"{route.key} not wrapped by entrypoint"


def test_every_handler_module_is_registered():
    registered = {r.module for r in ROUTES}
    modules = {
        m.name
        for m in pkgutil.walk_packages(functions.__path__, "functions.")
        if not m.ispkg
        and not m.name.startswith("functions.jobs")
        and not m.name.startswith("functions.deploy")  # CloudFormation custom resources
        and m.name not in NOT_ROUTES
        and not m.name.endswith(".routes")
        and not m.name.rsplit(".", 1)[1].startswith("_")  # private helpers of an area
    }
    assert modules == registered


def test_local_matching_prefers_literal_segments():
    for route in ROUTES:
        concrete = route.path
        for p in route.path_params:
            concrete = concrete.replace("{" + p + "}", "00000000-0000-0000-0000-000000000001")
        found = match(route.method, concrete)
        assert found is not None and found[0] == route, route.key


def test_openapi_json_is_up_to_date():
    committed = (ROOT / "openapi.json").read_text()
    assert json.loads(committed) == json.loads(render()), "run `make openapi` and commit"
