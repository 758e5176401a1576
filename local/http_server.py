"""The local API's HTTP side: waitress (a maintained WSGI server) in front of `dispatch`.

waitress does the framing (Content-Length checked digit by digit, chunked bodies decoded, each
body read in full before the next request on the connection, so an OPTIONS body cannot become a
second request), bounds the workers and the open connections, drops idle or half-sent
connections and sets TCP_NODELAY. Its own protocol errors are answered in the API envelope.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, WSGITask

from local.dispatch import CORS, dispatch
from local.tokens import TokenVerifier
from milequest.api.entry import MAX_BODY_BYTES
from milequest.api.responses import failure

WORKERS = 8  # requests handled at once; more wait in waitress's queue
CONNECTION_LIMIT = 100  # open connections; beyond it waitress stops accepting
IDLE_TIMEOUT = (
    10  # seconds a connection may sit idle or half-sent (slow headers) before it is closed
)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_REASONS = {s.value: s.phrase for s in HTTPStatus}
_CODES = {400: "BAD_REQUEST", 413: "PAYLOAD_TOO_LARGE", 431: "HEADERS_TOO_LARGE"}


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return headers


def application(
    verifier: TokenVerifier,
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # REQUEST_URI is the path as sent (PATH_INFO is decoded), like API Gateway's rawPath.
        url = urlsplit(environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/"))
        body = environ["wsgi.input"].read()
        result = dispatch(
            verifier,
            environ["REQUEST_METHOD"],
            url.path,
            url.query,
            _headers(environ),
            body,
            environ.get("REMOTE_ADDR", "127.0.0.1"),
        )
        reason = (
            HTTPStatus(result.status).phrase
            if result.status in HTTPStatus._value2member_map_
            else ""
        )
        headers = [*result.headers.items(), ("Content-Length", str(len(result.body)))]
        start_response(f"{result.status} {reason}", headers)
        return [result.body]

    return app


class JsonErrorTask(ErrorTask):
    """waitress's answer to a malformed request (bad Content-Length, oversized body or headers),
    in the API envelope instead of text/plain."""

    def execute(self) -> None:
        error = self.request.error
        code = int(error.code)
        result = failure(code, _CODES.get(code, "BAD_REQUEST"), str(error.body or error.reason))
        body = (result.get("body") or json.dumps({"success": False})).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([*CORS.items(), *result["headers"].items()])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class CasePreservingTask(WSGITask):
    """Header names as the handler spelled them (`ETag`, `X-Request-Id`), as API Gateway sends
    them; waitress would rewrite them to `Etag`, `X-Request-Id`."""

    wrote_header: bool  # set by waitress's Task (untyped)

    def build_response_header(self) -> bytes:
        spelled = {name.lower(): name for name, _ in self.response_headers}
        head: bytes = super().build_response_header()
        lines = head.decode("latin-1").split("\r\n")
        for i, line in enumerate(lines[1:], start=1):
            name, sep, rest = line.partition(":")
            if sep:
                lines[i] = f"{spelled.get(name.lower(), name)}:{rest}"
        return "\r\n".join(lines).encode("latin-1")

    def write(self, data: bytes) -> None:
        """The head and a body written whole in one send (waitress sends each write at once):
        the client then wakes once per response, not once for the head and again for the
        body, which on a loaded machine costs a scheduling delay each."""
        if self.wrote_header or not self.complete or not data:
            super().write(data)
            return
        head = self.build_response_header()
        self.wrote_header = True
        if self.has_body and not self.chunked_response and self.content_length == len(data):
            self.content_bytes_written += len(data)
            self.channel.write_soon(head + data)
            return
        self.channel.write_soon(head)
        super().write(data)  # the head is out: this writes the body alone


class ApiChannel(HTTPChannel):
    task_class = CasePreservingTask
    error_task_class = JsonErrorTask


def create(verifier: TokenVerifier, host: str, port: int) -> Any:
    server = create_server(
        application(verifier),
        host=host,
        port=port,
        threads=WORKERS,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=IDLE_TIMEOUT,
        cleanup_interval=1,
        max_request_body_size=MAX_BODY_BYTES,
        max_request_header_size=64 * 1024,
        ident="MileQuestLocal",
        clear_untrusted_proxy_headers=True,
    )
    server.channel_class = ApiChannel
    return server
