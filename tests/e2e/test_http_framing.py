"""The local server's HTTP framing, spoken to over raw sockets: no request smuggling, chunked
bodies read, bad Content-Length a JSON 400, JSON 404/405, idle connections dropped, and no
delayed-ACK stall on keep-alive connections."""

from __future__ import annotations

import json
import socket
import statistics
import time
from urllib.parse import urlsplit

import pytest

from local.http_server import IDLE_TIMEOUT
from tests.e2e.conftest import LocalApi

pytestmark = pytest.mark.slow


def _connect(api: LocalApi) -> socket.socket:
    url = urlsplit(api.url)
    sock = socket.create_connection((url.hostname, url.port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _read_response(sock: socket.socket, buf: bytearray) -> tuple[int, dict[str, str], bytes]:
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response")
        buf += chunk
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    buf[:] = rest[length:]
    return status, headers, rest[:length]


def _exchange(api: LocalApi, raw: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Send raw bytes, read every response until the server closes or goes quiet."""
    sock = _connect(api)
    sock.sendall(raw)
    sock.settimeout(1.5)
    buf, answers = bytearray(), []
    try:
        while True:
            answers.append(_read_response(sock, buf))
    except (TimeoutError, ConnectionError, OSError):
        pass
    finally:
        sock.close()
    return answers


def test_an_options_body_is_not_read_as_a_second_request(local_api: LocalApi) -> None:
    smuggled = b"GET /no/such/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    raw = (
        b"OPTIONS /health HTTP/1.1\r\nHost: x\r\nContent-Length: "
        + str(len(smuggled)).encode()
        + b"\r\n\r\n"
        + smuggled
    )
    answers = _exchange(local_api, raw)
    assert [a[0] for a in answers] == [204]
    assert answers[0][1]["access-control-allow-origin"] == "*"


def test_a_chunked_body_is_read(local_api: LocalApi) -> None:
    body = b'{"email": 5}'
    raw = (
        b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + f"{len(body):x}\r\n".encode()
        + body
        + b"\r\n0\r\n\r\n"
    )
    [(status, _, payload)] = _exchange(local_api, raw)
    assert status == 400
    error = json.loads(payload)["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert any(d["field"] == "email" for d in error["details"])  # the body was parsed


@pytest.mark.parametrize("length", [b"abc", b"-5", b"1, 2", b"+3"])
def test_a_bad_content_length_is_a_json_400(local_api: LocalApi, length: bytes) -> None:
    raw = b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + b"\r\n\r\n{}"
    [(status, headers, payload)] = _exchange(local_api, raw)
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert json.loads(payload)["success"] is False


def test_an_unknown_method_is_a_json_405(local_api: LocalApi) -> None:
    [(status, headers, payload)] = _exchange(
        local_api, b"BREW /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status == 405
    assert "GET" in headers["allow"]
    assert json.loads(payload)["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_an_unknown_route_is_a_json_404_for_any_method(local_api: LocalApi) -> None:
    [(status, headers, payload)] = _exchange(
        local_api, b"DELETE /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status == 404
    assert headers["content-type"] == "application/json"
    assert json.loads(payload)["error"]["code"] == "NOT_FOUND"


def test_a_half_sent_request_is_dropped_after_the_idle_timeout(local_api: LocalApi) -> None:
    sock = _connect(local_api)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    sock.settimeout(IDLE_TIMEOUT + 5)
    started = time.monotonic()
    try:
        assert sock.recv(1024) == b""  # closed by the server, no answer
    except ConnectionResetError:
        pass
    finally:
        sock.close()
    assert time.monotonic() - started < IDLE_TIMEOUT + 4


def test_keep_alive_requests_do_not_stall_on_delayed_acks(local_api: LocalApi) -> None:
    sock = _connect(local_api)
    buf = bytearray()
    request = b"GET /no/such/route HTTP/1.1\r\nHost: x\r\n\r\n"  # no database: server cost only
    timings = []
    try:
        for _ in range(60):
            started = time.perf_counter()
            sock.sendall(request)
            status, _, _ = _read_response(sock, buf)
            timings.append((time.perf_counter() - started) * 1000)
            assert status == 404
    finally:
        sock.close()
    # A Nagle/delayed-ACK stall costs ~40 ms per request; the server's own work is ~1 ms.
    assert statistics.median(timings[10:]) < 10, timings


def test_header_names_keep_their_spelling(local_api: LocalApi) -> None:
    sock = _connect(local_api)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw = b""
    while b"\r\n\r\n" not in raw:
        raw += sock.recv(65536)
    sock.close()
    assert b"\r\nX-Request-Id: " in raw
    assert b"\r\nAccess-Control-Allow-Origin: *" in raw
