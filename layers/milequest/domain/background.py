"""CPU work that overlaps a request's remaining queries (docs/architecture.md#overlapped-work).

A goal's forecast is a simulation on rows already read (numpy, no database). Run in a worker
thread, it proceeds while the request's thread waits on PostgreSQL for its next statements:
psycopg waits with the GIL released and numpy releases it inside its loops, so the two overlap
instead of adding up. One worker per process: a Lambda environment serves one request at a
time, and under the local server's threads the work queues rather than oversubscribing.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_pool: ThreadPoolExecutor | None = None


def start(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
    """`fn(*args, **kwargs)` on the worker; `.result()` gives its value or raises its error."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="overlap")
    return _pool.submit(fn, *args, **kwargs)
