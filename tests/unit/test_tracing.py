"""Tracer: on the areas and jobs that call AWS, in Lambda only; nowhere does anything else pay
for the X-Ray SDK."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.function_roles import COGNITO_ADMIN_AREAS, NOTIFICATION_AREAS
from milequest.api import tracing

ROOT = Path(__file__).resolve().parents[2]
# What Lambda sets (and what the Tracer itself looks at), with an invocation's trace header.
LAMBDA_ENV = {
    "LAMBDA_TASK_ROOT": "/var/task",
    "AWS_LAMBDA_FUNCTION_NAME": "milequest-test",
    "_X_AMZN_TRACE_ID": (
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    ),
    "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


def _import_and_call(module: str, env: dict[str, str]) -> dict[str, object]:
    """Import the entry in a fresh process, invoke it once with an unknown route."""
    code = (
        "import json, sys, importlib\n"
        f"m = importlib.import_module({module!r})\n"
        "r = m.handler({'routeKey': 'GET /nowhere'}, None)\n"
        "print(json.dumps({'xray': 'aws_xray_sdk' in sys.modules,"
        " 'status': r.get('statusCode') if isinstance(r, dict) else None}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in LAMBDA_ENV}
    clean.pop("POWERTOOLS_TRACE_DISABLED", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**clean, "PYTHONPATH": f"{ROOT / 'layers'}:{ROOT}", **env},
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_areas_with_aws_grants_are_traced():
    # The areas whose roles may call AWS APIs (infra/function_roles.py) are the traced ones.
    assert COGNITO_ADMIN_AREAS | NOTIFICATION_AREAS == tracing.TRACED_AREAS


def test_a_traced_area_in_lambda_records_its_invocation():
    result = _import_and_call("functions.auth", LAMBDA_ENV)
    assert result == {"xray": True, "status": 404}


@pytest.mark.parametrize(
    "module, env",
    [
        ("functions.health", LAMBDA_ENV),  # calls no AWS API
        ("functions.auth", {}),  # not in Lambda
        ("functions.auth", {**LAMBDA_ENV, "POWERTOOLS_TRACE_DISABLED": "true"}),
    ],
)
def test_no_xray_sdk_where_nothing_is_traced(module, env):
    assert _import_and_call(module, env) == {"xray": False, "status": 404}


def test_traced_returns_the_handler_itself_outside_lambda(monkeypatch):
    monkeypatch.delenv("LAMBDA_TASK_ROOT", raising=False)

    def handler(event, context):
        return event

    assert tracing.traced(handler) is handler
