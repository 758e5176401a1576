"""Every route in-process, for a light and a heavy user, beside the raw SQL it ran.

The raw baseline of a read is the route's own statements, captured while it ran once and then
replayed on a plain psycopg connection: what is left between the two is the plumbing (event
parsing, validation, user resolution, models, envelope)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import psycopg

from bench.harness import Walker, call, concrete, summary, timed
from bench.report import ROUTE_KEYS
from functions.registry import ROUTES
from milequest.api.routing import Route
from milequest.db.timing import TimedCursor

# Routes not measured in-process: Cognito's (their cost is the identity provider's).
SKIP = ("/auth/",)


def captured(fn: Callable[[], Any]) -> list[tuple[Any, Any]]:
    """The statements `fn` ran through the project's cursor, with their parameters (the cursor
    is wrapped only meanwhile: the bench runs one request at a time here)."""
    log: list[tuple[Any, Any]] = []
    original = TimedCursor.execute

    def recording(self: TimedCursor, query: Any, params: Any = None, **kw: Any) -> TimedCursor:
        log.append((query, params))
        return original(self, query, params, **kw)

    TimedCursor.execute = recording  # type: ignore[method-assign]
    try:
        fn()
        return log
    finally:
        TimedCursor.execute = original  # type: ignore[method-assign]


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


def _measure(conn: psycopg.Connection[Any], route: Route, kind: str, w: Walker,
             admin: Walker, n: int) -> dict[str, Any]:  # fmt: skip
    """One walker's figures for one read; a route that answers 403 (admins only) is measured
    for an admin of the walker's team instead."""
    row: dict[str, Any] = {}
    user: Walker | None = w if route.auth else None
    path = concrete(route.path, w)
    status = call("GET", path, user)["statusCode"]
    if status == 403 and user is not None:
        user, path = admin, concrete(route.path, admin)
        row["as"] = "team admin"
        status = call("GET", path, user)["statusCode"]
    if status >= 400:
        return {"note": f"{kind} user answered {status}"}
    samples = timed(partial(_get, path, user), n)
    row[f"{kind}_user_median_ms"] = summary(samples)["median_ms"]
    if kind == "large":
        row.update(summary(samples))
        statements = captured(partial(_get, path, user, 0))
        base = timed(partial(_replay, conn, statements), n)
        row["raw_sql_median_ms"] = summary(base)["median_ms"]
        row["statements"] = len(statements)
        row["samples"] = len(samples)
    return row


def reads(conn: psycopg.Connection[Any], walkers: dict[str, tuple[Walker, Walker]],
          n: int) -> dict[str, Any]:  # fmt: skip
    """Every GET route of the registry, for each walker (with their team's admin)."""
    out: dict[str, Any] = {}
    for route in ROUTES:
        if route.method != "GET" or _skipped(route):
            continue
        row: dict[str, Any] = dict.fromkeys(ROUTE_KEYS)
        for kind, (w, admin) in walkers.items():
            row.update(_measure(conn, route, kind, w, admin, n))
        out[route.key] = row
    return out
