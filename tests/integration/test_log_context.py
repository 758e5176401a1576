"""Concurrent requests each log with their own request id and route (no shared log context)."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from milequest.observability import logger
from tests.support.api import call

THREADS = 8
PER_THREAD = 25


class Collect(logging.Handler):
    """Formats each record with the app's formatter in the thread that logged it."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, object]] = []
        self.guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        line = json.loads(self.format(record))
        with self.guard:
            self.lines.append(line)


def test_each_request_line_carries_its_own_request_id_and_route(make_user) -> None:
    user = make_user()
    routes = [("GET", "/health", None), ("GET", "/users/me", user)]
    collect = Collect()
    collect.setFormatter(logger.registered_formatter)
    target = logging.getLogger(logger.name)
    target.addHandler(collect)

    def worker(n: int) -> None:
        method, path, caller = routes[n % 2]
        for i in range(PER_THREAD):
            rid = f"{path.strip('/').replace('/', '.')}-{n}-{i}-log"
            r = call(method, path, user=caller, headers={"X-Request-Id": rid})
            assert r.status == 200, r.body

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(worker, range(THREADS)))
    finally:
        target.removeHandler(collect)

    requests = [line for line in collect.lines if line["message"] == "request"]
    assert len(requests) == THREADS * PER_THREAD
    for line in requests:
        rid, route = str(line["request_id"]), str(line["route"])
        expected = "GET /health" if rid.startswith("health-") else "GET /users/me"
        assert route == expected, line
        # The user id is bound only by authenticated requests, never left over for /health.
        assert bool(line.get("user_id")) == (route == "GET /users/me"), line
    assert len({line["request_id"] for line in requests}) == THREADS * PER_THREAD
