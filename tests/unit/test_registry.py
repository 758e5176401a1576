"""The route registry is the one source of truth: every route resolves to its area's entry,
every area module's routes are registered, a Lambda imports only its area, and openapi.json
matches the code."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import functions
from functions.registry import ROUTES
from local.openapi import render
from local.server import match
from milequest.api.routing import Router

ROOT = Path(__file__).resolve().parents[2]
NOT_AREAS = {"jobs", "deploy"}
AREAS = sorted({r.area for r in ROUTES})


def test_route_keys_and_names_are_unique():
    assert len({r.key for r in ROUTES}) == len(ROUTES)
    assert len({r.name for r in ROUTES}) == len(ROUTES)


def test_every_route_is_served_by_its_areas_entry():
    for route in ROUTES:
        assert route.handler == f"functions.{route.area}.handler", route.key
        area = importlib.import_module(route.module)
        assert route in area.ROUTES and callable(area.handler), route.key


def test_every_declared_route_is_registered():
    declared = set()
    for m in pkgutil.walk_packages(functions.__path__, "functions."):
        if m.name.split(".")[1] in NOT_AREAS or m.ispkg:
            continue
        module = importlib.import_module(m.name)
        router = getattr(module, "router", None)
        if isinstance(router, Router):
            declared |= {r.key for r in router.routes}
    assert declared == {r.key for r in ROUTES}


@pytest.mark.parametrize("area", AREAS)
def test_a_routes_entry_imports_only_its_area_and_not_boto3_numpy_or_babel(area):
    # Cold start: a Lambda imports its own area, boto3 only once a route calls AWS, numpy only
    # once a forecast is computed, babel only once a text is translated.
    code = (
        "import json, sys, functions." + area + "; "
        "print(json.dumps([sorted({m.split('.')[1] for m in sys.modules "
        "if m.startswith('functions.')}), "
        "[m for m in ('boto3', 'numpy', 'babel') if m in sys.modules]]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    areas, heavy = json.loads(out.stdout)
    assert areas == [area]
    assert heavy == []


def test_local_matching_prefers_literal_segments():
    for route in ROUTES:
        concrete = route.path
        for p in route.path_params:
            concrete = concrete.replace("{" + p + "}", "00000000-0000-0000-0000-000000000001")
        found = match(route.method, concrete)
        assert found is not None and found[0] == route, route.key


def test_handler_parameters_must_match_the_path():
    router = Router()
    with pytest.raises(TypeError, match="teamId"):

        @router.get("/teams/{teamId}", "no parameter for the path")
        def missing() -> None: ...

    with pytest.raises(TypeError, match="stray"):

        @router.get("/teams", "a parameter that is nowhere")
        def stray(stray: str) -> None: ...


def test_openapi_json_is_up_to_date():
    committed = (ROOT / "openapi.json").read_text()
    assert json.loads(committed) == json.loads(render()), "run `make openapi` and commit"
