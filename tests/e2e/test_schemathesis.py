"""The project's hostile-input suite: schemathesis generates requests from openapi.json and
sends them to the local server with a real token. Any 5xx, a response that breaks our own
schema or a body that leaks internals fails the run. Bounded: a few examples per operation."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from tests.e2e.conftest import LocalApi

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Walking1Far"
EXAMPLES_PER_OPERATION = 4
LEAKS = re.compile(r"Traceback|File \"|psycopg|pydantic_core|SELECT |INSERT |/work/|\.py\b")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def token(local_api: LocalApi) -> str:
    email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "name": "Fuzz"}
    assert local_api.request("POST", "/auth/register", body)[0] == 201
    local_api.request("POST", "/auth/verify-email", {"email": email, "code": "123456"})
    status, _, data = local_api.request(
        "POST", "/auth/login", {"email": email, "password": PASSWORD}
    )
    assert status == 200, data
    return str(data["data"]["tokens"]["idToken"])


@pytest.fixture(scope="module")
def api_schema(local_api: LocalApi) -> Any:
    loaded = schemathesis.openapi.from_path(ROOT / "openapi.json")
    loaded.config.update(base_url=local_api.url)
    return loaded


def no_leaked_internals(ctx: Any, response: Any, case: Any) -> bool | None:
    text = response.text if hasattr(response, "text") else ""
    found = LEAKS.search(text)
    if found:
        raise AssertionError(f"response leaks internals: {found.group(0)!r} in {text[:200]}")
    return None


def test_api_survives_generated_requests(api_schema: Any, token: str, local_api: LocalApi) -> None:
    failures: list[str] = []
    sent = [0]
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            sent[0] += 1
            case.call_and_validate(
                base_url=local_api.url,
                headers={"Authorization": f"Bearer {token}"},
                checks=[
                    not_a_server_error,
                    response_schema_conformance,
                    content_type_conformance,
                    no_leaked_internals,
                ],
                timeout=10,
            )

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)
    assert sent[0] >= 200, f"only {sent[0]} requests generated"  # the run really ran
    print(f"schemathesis: {sent[0]} requests, no failures")
