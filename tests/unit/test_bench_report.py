"""The bench's report and results.json shape, from a small made-up results dict (nothing timed)."""

from __future__ import annotations

import copy
from typing import Any

from bench.report import ROUTE_KEYS, markdown, shape_errors
from bench.routes import SKIP
from functions.registry import ROUTES

RESULTS: dict[str, Any] = {
    "dataset": {"users": 10, "teams": 2, "activities": 300},
    "machine": "x86_64, 2 cores",
    "command": "python -m bench --n 5",
    "at": "2026-12-02T14:00+00:00",
    "seconds": 42,
    "routes": {
        "GET /users/me/stats": {
            "median_ms": 3.0,
            "p95_ms": 20.0,
            "raw_sql_median_ms": 2.0,
            "small_user_median_ms": 1.0,
            "large_user_median_ms": 3.0,
        },
        "GET /teams/{teamId}/invites": {
            "median_ms": 1.0,
            "p95_ms": 2.0,
            "raw_sql_median_ms": 0.5,
            "small_user_median_ms": 1.0,
            "large_user_median_ms": 1.0,
            "as": "team admin",
        },
        "GET /dashboard": {
            "median_ms": 4.0,
            "p95_ms": 6.0,
            "raw_sql_median_ms": 3.5,
            "small_user_median_ms": 12.0,
            "small_user_p95_ms": 16.0,
            "large_user_median_ms": 4.0,
        },
        "GET /push/vapid-public-key": {**dict.fromkeys(ROUTE_KEYS), "note": "answered 503"},
    },
    "write_routes": {"POST /activities": {"median_ms": 9.0, "p95_ms": 30.0}},
    "writes": {"route_tps_8": 300.0, "pgbench_tps_8": 500.0},
    "http": {
        "GET /dashboard": {
            "clients": 1,
            "median_ms": 5.5,
            "p95_ms": 7.0,
            "rps": 180.0,
            "inprocess_median_ms": 5.0,
        },
        "GET /dashboard @8": {
            "clients": 8,
            "median_ms": 20.0,
            "p95_ms": 40.0,
            "rps": 400.0,
            "inprocess_median_ms": 5.0,
        },
    },
    "cold_start": {
        "health": {"init_ms": 120.0, "deps_only_ms": 100.0, "imports_boto3": False},
        "auth": {"init_ms": 300.0, "deps_only_ms": 200.0, "imports_boto3": True},
    },
}


def test_a_complete_results_dict_has_the_issue_shape() -> None:
    assert shape_errors(RESULTS) == []


def test_missing_keys_are_named_by_part_and_row() -> None:
    broken = copy.deepcopy(RESULTS)
    del broken["writes"]["pgbench_tps_8"]
    del broken["routes"]["GET /users/me/stats"]["raw_sql_median_ms"]
    del broken["http"]["GET /dashboard"]["rps"]
    del broken["cold_start"]["auth"]["deps_only_ms"]
    assert sorted(shape_errors(broken)) == [
        "cold_start[auth].deps_only_ms",
        "http[GET /dashboard].rps",
        "routes[GET /users/me/stats].raw_sql_median_ms",
        "writes.pgbench_tps_8",
    ]


def test_the_report_marks_each_target_met_or_missed() -> None:
    text = markdown(RESULTS)
    # p95 20 > 15 missed; heavy/light 3× missed; plumbing 1 ms met.
    assert "| GET /users/me/stats | 3.00 | 20.00 | 2.00 | 1.00 | 1.00 | — | 3.00× | ✗✗✓ |" in text
    # The light user's p95 (16 > 15) misses the target even where the heavy user's meets it.
    assert "| GET /dashboard | 4.00 | 6.00 | 3.50 | 0.50 | 12.00 | 16.00 | 0.33× | ✗✓✓ |" in text
    assert "| GET /teams/{teamId}/invites (team admin) |" in text
    assert "| GET /push/vapid-public-key | not measured: answered 503 |" in text
    assert "| POST /activities | 9.00 | 30.00 ✗ |" in text
    assert "ratio 0.60 (target ≥ 0.5) ✓" in text
    assert "| GET /dashboard | 1 | 5.50 | 7.00 | 180.0 | 5.00 | +0.50 | ✓ | — | — | — |" in text
    assert (
        "| GET /dashboard @8 | 8 | 20.00 | 40.00 | 400.0 | 5.00 | +15.00 |  | — | — | — |" in text
    )
    assert "| health | 120.0 | 100.0 | 1.20× | — | — | no | ✓ |" in text
    assert "| auth | 300.0 | 200.0 | 1.50× | — | — | yes | ✗ |" in text


def test_the_cold_start_ratio_is_the_pairs_median_when_the_run_measured_it() -> None:
    # 130 / 100 medians but pairs whose ratios' median is 1.25: the pairs' figure decides.
    cold = {"teams": {"init_ms": 130.0, "deps_only_ms": 100.0, "ratio": 1.25}}
    text = markdown({**RESULTS, "cold_start": cold})
    assert "| teams | 130.0 | 100.0 | 1.25× | — | — | no | ✓ |" in text


def test_a_partial_run_reports_only_its_parts() -> None:
    partial = {k: v for k, v in RESULTS.items() if k not in ("routes", "http", "cold_start")}
    text = markdown(partial)
    assert "Reads in-process" not in text and "HTTP server" not in text
    assert "8 writers logging walks" in text
    assert shape_errors(partial) == []


def test_every_get_route_outside_cognito_is_measured() -> None:
    measured = [r.key for r in ROUTES if r.method == "GET" and not any(s in r.key for s in SKIP)]
    assert "GET /teams/{teamId}/analytics" in measured
    assert "GET /teams/recommended" in measured
    assert "GET /dashboard" in measured and "GET /shares/{shareId}" in measured
    assert len(measured) == len([r for r in ROUTES if r.method == "GET"])


def test_the_server_call_alone_is_reported_beside_the_route_when_measured() -> None:
    assert "server call alone" not in markdown(RESULTS)  # runs before it was measured
    with_server = copy.deepcopy(RESULTS)
    with_server["writes"]["function_tps_8"] = 400.0
    assert "from pgbench at 8 clients, same team, same run): 400.0 tps, ratio 0.80" in markdown(
        with_server
    )


def test_the_server_call_part_sends_the_routes_own_statement() -> None:
    from bench.contention import _log_script
    from milequest.db.activity_create import LOG_SQL

    script = _log_script(3)
    statement = script.splitlines()[2]
    assert "%s" not in script and "random(1, 3)" in script
    # The route's text with its ten placeholders filled, nothing else changed.
    head, tail = LOG_SQL.split("%s", 1)[0], LOG_SQL.rsplit("%s", 1)[1]
    assert statement.startswith(head) and statement.endswith(tail + ";")
