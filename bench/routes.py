"""Every route in-process, for a light and a heavy user, beside the raw SQL it ran.

The raw baseline of a read is the route's own statements, captured while it ran once and then
replayed on a plain psycopg connection: what is left between the two is the plumbing (event
parsing, validation, user resolution, models, envelope)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import psycopg

from bench.harness import Walker, call, concrete, summary, timed
from functions.registry import ROUTES
from milequest.api.routing import Route
from milequest.db.timing import TimedCursor

# Routes not measured here: Cognito's (their cost is the identity provider's) and deletions of
# the account itself.
SKIP = ("/auth/", "DELETE /users/me", "GET /users/me/export")

_capture = threading.local()
_execute = TimedCursor.execute


def _recording(self: TimedCursor, query: Any, params: Any = None, **kwargs: Any) -> TimedCursor:
    log = getattr(_capture, "log", None)
    if log is not None:
        log.append((query, params))
    return _execute(self, query, params, **kwargs)


TimedCursor.execute = _recording  # type: ignore[method-assign]


def captured(fn: Callable[[], Any]) -> list[tuple[Any, Any]]:
    _capture.log = []
    try:
        fn()
        return list(_capture.log)
    finally:
        _capture.log = None


def replay(conn: psycopg.Connection[Any], statements: list[tuple[Any, Any]]) -> None:
    with conn.transaction():
        for query, params in statements:
            cur = conn.execute(query, params)
            if cur.description is not None:
                cur.fetchall()


def _get(path: str, user: Walker | None, i: int) -> dict[str, Any]:
    return call("GET", path, user)


def _replay(conn: psycopg.Connection[Any], statements: list[tuple[Any, Any]], i: int) -> None:
    replay(conn, statements)


def _skipped(route: Route) -> bool:
    return any(s in route.key for s in SKIP)


def reads(conn: psycopg.Connection[Any], walkers: dict[str, Walker], n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for route in ROUTES:
        if route.method != "GET" or _skipped(route):
            continue
        row: dict[str, Any] = {}
        for kind, w in walkers.items():
            path = concrete(route.path, w)
            user = w if route.auth else None
            first = call("GET", path, user)
            if first["statusCode"] >= 400:
                row[f"{kind}_error"] = first["statusCode"]
                continue
            samples = timed(partial(_get, path, user), n)
            row[f"{kind}_user_median_ms"] = summary(samples)["median_ms"]
            if kind == "large":
                row.update(summary(samples))
                statements = captured(partial(_get, path, user, 0))
                base = timed(partial(_replay, conn, statements), n)
                row["raw_sql_median_ms"] = summary(base)["median_ms"]
                row["statements"] = len(statements)
        out[route.key] = row
    return out


def _walk(i: int) -> dict[str, Any]:
    at = datetime.now(UTC) - timedelta(minutes=2 + i)  # forward in time: no back-dating
    return {"distance": 2500 + i % 3000, "duration": 2400 + i % 600, "timestamp": at.isoformat()}


def writes(walkers: dict[str, Walker], n: int) -> dict[str, Any]:
    """The write routes a walker uses, each n times, for the heavy user."""
    w = walkers["large"]
    made: list[str] = []

    def log(i: int) -> None:
        r = call("POST", "/activities", w, body=_walk(i + 10_000))
        assert r["statusCode"] == 201, r["body"]
        made.append(r["body"].split('"id":"', 1)[1].split('"', 1)[0])

    def edit(i: int) -> None:
        target = made[i % len(made)]
        r = call("PATCH", f"/activities/{target}", w, body={"notes": f"edit {i}"})
        assert r["statusCode"] == 200, r["body"]

    def comment(i: int) -> None:
        path = f"/activities/{made[i % len(made)]}/comments"
        assert call("POST", path, w, body={"text": f"nice {i}"})["statusCode"] == 201

    def react(i: int) -> None:
        path = f"/activities/{made[i % len(made)]}/reactions/%F0%9F%94%A5"
        assert call("PUT", path, w)["statusCode"] == 200

    def profile(i: int) -> None:
        assert call("PATCH", "/users/me", w, body={"name": f"Walker {i}"})["statusCode"] == 200

    def delete(i: int) -> None:
        assert call("DELETE", f"/activities/{made.pop()}", w)["statusCode"] == 200

    out = {}
    for key, fn in (
        ("POST /activities", log),
        ("PATCH /activities/{activityId}", edit),
        ("POST /activities/{activityId}/comments", comment),
        ("PUT /activities/{activityId}/reactions/{emoji}", react),
        ("PATCH /users/me", profile),
        ("DELETE /activities/{activityId}", delete),
    ):
        out[key] = summary(timed(fn, n))
    return out
