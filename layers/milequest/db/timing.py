"""Query timing: every statement is timed so the API can publish a query-duration metric and
log slow statements (the alarm threshold is 1 s, matching `log_min_duration_statement`)."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg

SLOW_QUERY_MS = 1000.0

_local = threading.local()


class QueryStats:
    __slots__ = ("count", "total_ms", "max_ms", "slow")

    def __init__(self) -> None:
        self.count = 0
        self.total_ms = 0.0
        self.max_ms = 0.0
        self.slow = 0

    def record(self, elapsed_ms: float) -> None:
        self.count += 1
        self.total_ms += elapsed_ms
        self.max_ms = max(self.max_ms, elapsed_ms)
        if elapsed_ms >= SLOW_QUERY_MS:
            self.slow += 1


def start_request() -> QueryStats:
    """Begin collecting statement timings for the current thread's request."""
    stats = QueryStats()
    _local.stats = stats
    return stats


def current() -> QueryStats | None:
    return getattr(_local, "stats", None)


class TimedCursor(psycopg.Cursor[Any]):
    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> TimedCursor:
        started = time.perf_counter()
        try:
            super().execute(query, params, **kwargs)
        finally:
            stats = current()
            if stats is not None:
                stats.record((time.perf_counter() - started) * 1000)
        return self
