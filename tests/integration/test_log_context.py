"""Concurrent requests keep their own log context: every line a request logs carries its own
request id and route, never another request's (the local server runs requests in threads)."""

from __future__ import annotations

import io
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from local.events import build_event
from milequest.api.entry import handle
from milequest.api.routing import Param, Route
from milequest.observability import logger

ROUNDS = 40


def _route(name: str, barrier: threading.Barrier) -> Route:
    def work(req):
        # Every request has bound its keys before any of them logs, and logs before any ends.
        barrier.wait(timeout=10)
        logger.info("working", extra={"marker": req.request_id})
        barrier.wait(timeout=10)
        return {}

    request = (Param("req", "request"),)
    return Route(
        "GET", f"/{name}", "functions.test.handler", name, name, work, request,
        auth=False, uses_db=False,
    )  # fmt: skip


def test_each_log_line_carries_its_own_request_id_and_route(monkeypatch):
    workers = 4
    barrier = threading.Barrier(workers)
    routes = [_route(f"r{i}", barrier) for i in range(workers)]
    stream = io.StringIO()
    handler = logger.registered_handler
    monkeypatch.setattr(handler, "stream", stream)

    def one(i: int) -> str:
        route = routes[i % workers]
        request_id = f"req-{uuid.uuid4().hex}"
        event = build_event(route, route.path, {}, headers={"X-Request-Id": request_id})
        response = handle(route, event)
        assert response["statusCode"] == 200, response
        return request_id

    with ThreadPoolExecutor(workers) as pool:
        sent = list(pool.map(one, range(ROUNDS)))

    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]
    working = [line for line in lines if line["message"] == "working"]
    finished = [line for line in lines if line["message"] == "request"]
    assert len(working) == len(finished) == ROUNDS
    for line in working:
        assert line["request_id"] == line["marker"]  # its own id, not a neighbour's
    by_id = {line["request_id"]: line for line in working}
    for line in finished:
        assert by_id[line["request_id"]]["route"] == line["route"]
    assert sorted(by_id) == sorted(sent)


def test_keys_do_not_outlive_the_request(monkeypatch):
    route = _route("solo", threading.Barrier(1))
    handle(route, build_event(route, "/solo", {}))
    stream = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", stream)
    logger.info("after")
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert "request_id" not in line and "route" not in line
