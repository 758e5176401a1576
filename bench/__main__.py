"""`make bench`: every route at the scale data set (`make seed-scale`), beside baselines
measured in the same run, into `build/bench/results.json` and a section of BENCHMARKS.md.

    python -m bench [--n 200] [--only routes,writes,contention,http,cold] [--write]

(1) every read route in-process for a light (~10 walks) and a heavy (~5 000) user, with the
raw SQL each ran replayed on plain psycopg; the write routes the heavy user uses; (2) 8 writers
into one busy team beside pgbench TPC-B-like at 8 clients; (3) the local HTTP server at 1 and
8 clients beside in-process; (4) cold start of each area's entry in Python 3.12."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from typing import Any

import psycopg

from bench import cold_start, contention, http_server, routes, setup, writes
from bench.harness import ROOT, load_dataset, team_walkers, use_database, walker
from bench.report import markdown, shape_errors
from milequest.allocator import restart_with_settings
from milequest.db.migrations import apply_migrations

ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PARTS = ("routes", "writes", "contention", "http", "cold")


def _reading_team(conn: psycopg.Connection[Any], busy: str) -> str:
    """The biggest team with a goal other than the busy one, for the HTTP part: the contention
    part logs thousands of walks a run into the busy team (every one in the current week),
    which no real team has and which the dashboard's weekly board would then sum. It must have
    room for the walker the part signs up (until 2026-12-07 a full team took a 201st member,
    which the data-quality job then reported)."""
    row = conn.execute(
        """SELECT m.team_id FROM team_members m JOIN teams t ON t.id = m.team_id
           WHERE m.left_at IS NULL AND m.team_id <> %s AND t.deleted_at IS NULL
             AND EXISTS (SELECT 1 FROM team_goals g WHERE g.team_id = m.team_id)
           GROUP BY m.team_id, t.max_members HAVING count(*) < t.max_members
           ORDER BY count(*) DESC, m.team_id LIMIT 1""",
        (busy,),
    ).fetchone()
    if row is None:
        raise SystemExit("the data set has no second team with a goal")
    return str(row[0])


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=200, help="requests per measurement")
    p.add_argument("--only", default=",".join(PARTS))
    p.add_argument("--write", action="store_true", help="add the run to BENCHMARKS.md")
    args = p.parse_args(argv)
    parts = set(args.only.split(","))
    started = time.monotonic()
    ds = load_dataset()
    url = ds["url"]
    apply_migrations(url)  # the branch's own migrations (indexes, columns) on the data set
    _vacuum_as_autovacuum_would(url)
    use_database(url, pool=12)
    results: dict[str, Any] = {
        "dataset": {
            k: ds["rows"][t]
            for k, t in (("users", "users"), ("teams", "teams"), ("activities", "activities"))
        },  # fmt: skip
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "command": "python -m bench " + " ".join(argv),
        "at": datetime.now(UTC).isoformat(timespec="minutes"),
    }
    # The raw SQL baseline runs on a connection set as the app's are (autocommit, no prepared
    # statements: they would pin RDS Proxy sessions), so the plumbing it leaves is the code's.
    with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
        walkers = {
            kind: setup.prepare(conn, walker(conn, ds[user]["id"]))
            for kind, user in (("small", "lightUser"), ("large", "heavyUser"))
        }
        members = team_walkers(conn, ds["busyTeam"]["id"])
        read_team = _reading_team(conn, ds["busyTeam"]["id"])
        if "routes" in parts:
            results["routes"] = routes.reads(conn, walkers, args.n)
    if "writes" in parts:
        results["write_routes"] = writes.run(url, walkers["large"][0], args.n)
    if "contention" in parts:
        results["writes"] = contention.run(url, members, ADMIN_URL)
    if "http" in parts:
        results["http"] = http_server.run(url, read_team, args.n)
    if "cold" in parts:
        results["cold_start"] = cold_start.run(sorted({r.area for r in _routes()}))
    results["seconds"] = round(time.monotonic() - started)
    for missing in shape_errors(results):
        print(f"results.json lacks {missing}", file=sys.stderr)
    out = ROOT / "build" / "bench" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    text = markdown(results)
    print(text)
    if args.write:
        with open(ROOT / "BENCHMARKS.md", "a", encoding="utf-8") as md:
            md.write("\n" + text)
    return 0


def _vacuum_as_autovacuum_would(url: str) -> None:
    """On a server with autovacuum off (as some development machines run it), earlier runs'
    walks would sit on pages not marked all-visible however many there are, where production
    vacuums activities after 1 000 + 0.5 % new rows (migration 0830): vacuum it here, so that
    the reads measure what they would meet there."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SHOW autovacuum").fetchone()
        if row and row[0] == "off":
            conn.execute("VACUUM (ANALYZE) activities")


def _routes() -> tuple[Any, ...]:
    from functions.registry import ROUTES

    return ROUTES


if __name__ == "__main__":
    # The handlers run in this process: with the allocator settings the Lambdas have.
    restart_with_settings()
    sys.exit(main(sys.argv[1:]))
