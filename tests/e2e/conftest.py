"""End-to-end fixtures: the real local server (`make run`) in a subprocess, on its own
database and its own Cognito emulator, reached over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from local.cognito import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LocalApi:
    url: str
    info: dict[str, Any]  # cognito endpoint, userPoolId, clientId (as the server printed them)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        req.add_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, dict(resp.headers), json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            return err.code, dict(err.headers), json.loads(raw) if raw else None

    def seed_demo(self) -> str:
        """`make seed` against this server, then the demo user's id token."""
        env = {**os.environ, "MILEQUEST_API": self.url, "PYTHONPATH": f"{ROOT / 'layers'}:{ROOT}"}
        run = subprocess.run(
            [sys.executable, "-m", "local.seed"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stdout + run.stderr
        status, _, body = self.request(
            "POST", "/auth/login", {"email": "demo@milequest.dev", "password": "Walk-1234"}
        )
        assert status == 200, body
        return str(body["data"]["tokens"]["idToken"])


@contextmanager
def running_local_api(database_url: str, **env: str) -> Iterator[LocalApi]:
    """`python -m local.server` on a free port over `database_url`, with `env` on top, until
    the block ends."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": f"{ROOT / 'layers'}:{ROOT}",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        # No background jobs: the server shares the session database with the in-process
        # tests, and its dispatcher would claim their deliveries (tests run jobs themselves).
        "LOCAL_JOBS": "0",
        **env,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "local.server", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        info: dict[str, Any] | None = None
        for line in proc.stdout:  # the server prints its URL, then a JSON line, when ready
            if line.startswith("{"):
                info = json.loads(line)
                break
        assert info is not None, "local server did not start"
        yield LocalApi(url=info["url"], info=info)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def local_api(database_url: str) -> Iterator[LocalApi]:
    with running_local_api(database_url) as api:
        yield api
