"""Every route in-process, for a light and a heavy user, beside the raw SQL it ran.

The raw baseline of a read is the route's own statements, captured while it ran once and then
replayed on a plain psycopg connection: what is left between the two is the plumbing (event
parsing, validation, user resolution, models, envelope)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import psycopg

from bench.harness import Walker, alternated, call, concrete, summary
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
    """The statements one by one in autocommit, as the read routes run them."""
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


def _caller(route: Route, w: Walker, admin: Walker) -> tuple[Walker | None, str, str | None]:
    """Who calls the route for walker `w`, on which path: `w`, or for a route that answers
    403 (admins only) an admin of `w`'s team; with a note when it answers an error anyway."""
    user: Walker | None = w if route.auth else None
    path = concrete(route.path, w)
    status = call("GET", path, user)["statusCode"]
    if status == 403 and user is not None:
        user, path = admin, concrete(route.path, admin)
        status = call("GET", path, user)["statusCode"]
    return user, path, f"answered {status}" if status >= 400 else None


def _measure(conn: psycopg.Connection[Any], route: Route,
             walkers: dict[str, tuple[Walker, Walker]], n: int) -> dict[str, Any]:  # fmt: skip
    """The light user's and the heavy user's calls and the heavy call's SQL replayed, in turn."""
    (small_user, small_path, small_err) = _caller(route, *walkers["small"])
    (user, path, err) = _caller(route, *walkers["large"])
    row: dict[str, Any] = dict.fromkeys(ROUTE_KEYS)
    if err or small_err:
        return {**row, "note": f"heavy user {err or 'ok'}, light user {small_err or 'ok'}"}
    if user is not None and user.id != walkers["large"][0].id:
        row["as"] = "team admin"
    statements = captured(partial(_get, path, user, 0))
    small, large, raw = alternated(
        [partial(_get, small_path, small_user), partial(_get, path, user),
         partial(_replay, conn, statements)], n,
    )  # fmt: skip
    return {
        **row,
        **summary(large),
        "raw_sql_median_ms": summary(raw)["median_ms"],
        "small_user_median_ms": summary(small)["median_ms"],
        # The light user's teams can be bigger than the heavy user's: the p95 target holds
        # for both callers (bench.report).
        "small_user_p95_ms": summary(small)["p95_ms"],
        "large_user_median_ms": summary(large)["median_ms"],
        "statements": len(statements),
        "samples": len(large),
    }


def reads(conn: psycopg.Connection[Any], walkers: dict[str, tuple[Walker, Walker]],
          n: int) -> dict[str, Any]:  # fmt: skip
    """Every GET route of the registry but Cognito's, for each walker (or their team's admin)."""
    routes = [r for r in ROUTES if r.method == "GET" and not _skipped(r)]
    return {route.key: _measure(conn, route, walkers, n) for route in routes}
