"""`make run`: every registered route on http://127.0.0.1:3001.

Each HTTP request becomes an API Gateway HTTP API payload-2.0 event and is passed to the same
handler function Lambda calls. Protected routes need a Cognito token, verified here against the
local Cognito emulator exactly as API Gateway's JWT authorizer would verify it in the cloud.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import re
import sys
import threading
import uuid
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from functions.registry import ROUTES
from local import cognito, notify, scheduler
from local.events import build_event
from local.tokens import InvalidToken, TokenVerifier
from milequest.api.entry import MAX_BODY_BYTES
from milequest.api.responses import failure
from milequest.api.routing import Route
from milequest.config import get_settings

_COMPILED: list[tuple[Route, re.Pattern[str]]] = [(r, r.pattern()) for r in ROUTES]
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": (
        "Authorization,Content-Type,Idempotency-Key,If-None-Match,X-Request-Id"
    ),
    "Access-Control-Allow-Methods": "GET,POST,PUT,PATCH,DELETE,OPTIONS",
    "Access-Control-Expose-Headers": "ETag,Retry-After,X-Request-Id,Idempotent-Replayed",
}


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    # Literal segments win over parameters (/teams/public before /teams/{teamId}), as in
    # API Gateway, so try routes with fewer parameters first.
    candidates = [(r, p) for r, p in _COMPILED if r.method == method]
    for route, pattern in sorted(candidates, key=lambda rp: len(rp[0].path_params)):
        m = pattern.match(path)
        if m:
            return route, m.groupdict()
    return None


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


class ApiHandler(BaseHTTPRequestHandler):
    server_version = "MileQuestLocal/1.0"
    protocol_version = "HTTP/1.1"
    verifier: TokenVerifier

    def log_message(self, format: str, *args: Any) -> None:  # the handlers log structurally
        pass

    def do_OPTIONS(self) -> None:  # noqa: N802  (CORS preflight, answered by API Gateway's CORS config in the cloud)
        self._send(204, {**CORS, "Access-Control-Max-Age": "600"}, b"")

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET  # noqa: N815

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._reply(failure(413, "PAYLOAD_TOO_LARGE", "Request body exceeds 256 KiB"))
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        found = match(self.command, url.path)
        if found is None:
            self._reply(failure(404, "NOT_FOUND", f"No route for {self.command} {url.path}"))
            return
        route, params = found
        headers = dict(self.headers.items())
        claims = None
        auth = self.headers.get("Authorization", "")
        if route.auth:
            token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
            try:
                claims = self.verifier.verify(token) if token else None
            except InvalidToken:
                claims = None
            if claims is None:
                self._reply(failure(401, "UNAUTHORIZED", "Missing or invalid token"))
                return
        event = build_event(
            route,
            url.path,
            params,
            query=url.query,
            headers=headers,
            body=body,
            claims=claims,
            source_ip=self.client_address[0],
        )
        self._reply(load_handler(route.handler)(event, LocalLambdaContext()))

    def _reply(self, result: dict[str, Any]) -> None:
        result.setdefault("headers", {}).setdefault("X-Request-Id", str(uuid.uuid4()))
        body = (result.get("body") or "").encode()
        self._send(int(result["statusCode"]), {**CORS, **(result.get("headers") or {})}, body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)


def serve(host: str, port: int, cognito_port: int | None) -> None:
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "milequest")
    from local.migrate import main as migrate

    migrate()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto, pool = cognito.start(cognito_port)
    pool.export()
    pushes, _ = notify.start(pool.endpoint_url, pool.region)
    get_settings.cache_clear()  # settings were read by the migration step, before the pool
    ApiHandler.verifier = TokenVerifier(pool)
    httpd = ThreadingHTTPServer((host, port), ApiHandler)
    httpd.daemon_threads = True
    info = {
        "url": f"http://{host}:{httpd.server_address[1]}",
        "cognito": pool.endpoint_url,
        "userPoolId": pool.user_pool_id,
        "clientId": pool.client_id,
        "ses": pool.endpoint_url,
        "pushService": pushes.base_url,
    }
    print(f"Mile Quest API listening on {info['url']}  ({len(ROUTES)} routes)", flush=True)
    print(json.dumps(info), flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        pushes.stop()
        moto.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mile Quest local API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3001")))
    parser.add_argument("--cognito-port", type=int, default=None)
    args = parser.parse_args(argv)
    scheduler.start(threading.Event())  # functions/jobs on their schedules; LOCAL_JOBS=0: off
    serve(args.host, args.port, args.cognito_port)


if __name__ == "__main__":
    main(sys.argv[1:])
