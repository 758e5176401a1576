"""8 writers (8 processes, as 8 Lambda environments) logging into the same busy team, beside
pgbench's TPC-B-like load at 8 clients on a scratch database of the same server: both funnel
every transaction through hot rows. Between the two, the route's own server call driven by
pgbench (a C client) at 8 clients: what the database alone sustains for this write, so that a
run tells the database's share of the gap from the share of the writers' Python, which runs on
the same 2 cores here and on Lambda's machines in production."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import psycopg

from bench.harness import Walker, admin_of, age_recent_walks, call, use_database
from milequest.db import activity_create as create_db

SECONDS = 10
WRITERS = 8
# Debian's postgresql-15 package installs pgbench here; /usr/bin/pgbench is its wrapper.
PGBENCH = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"


def _writer(url: str, members: list[Walker], k: int, ready: Any, seconds: float) -> int:
    """One writer in its own process, as each concurrent Lambda request has its own execution
    environment (and its own interpreter: 8 threads of one process would measure the GIL).
    It logs for its share of the team's walkers in turn: one walker logging hundreds of walks
    an hour would make the write's rate-limit count (which reads the walker's last hour, up to
    the limit of 60 in production) scan thousands of rows that no real user has.

    One walk before the window warms the process as a warm Lambda is (the route's imports and
    models, the connection, the achievement catalog); the window opens when every writer is
    warm, so no writer's cold start falls inside another's window."""
    use_database(url, pool=1)
    i = 0

    def log_one() -> None:
        nonlocal i
        at = datetime.now(UTC) - timedelta(seconds=30)
        body = {"distance": 1000 + k * 37 + i % 900, "duration": 900 + i % 300,
                "timestamp": at.isoformat()}  # fmt: skip
        r = call("POST", "/activities", members[i % len(members)], body=body)
        assert r["statusCode"] == 201, r["body"]
        i += 1

    log_one()
    ready.wait()
    stop_at = time.time() + seconds
    i = 0
    while time.time() < stop_at:
        log_one()
    return i


def route_tps(url: str, members: list[Walker], seconds: float = SECONDS) -> tuple[float, int]:
    """Walks a second in the window, and how many walks were logged in all (the window's and
    each writer's one warm-up walk)."""
    ctx = multiprocessing.get_context("spawn")
    shares = [members[k::WRITERS] for k in range(WRITERS)]
    with ctx.Manager() as manager, ProcessPoolExecutor(WRITERS, mp_context=ctx) as pool:
        ready = manager.Barrier(WRITERS)
        futures = [
            pool.submit(_writer, url, share, k, ready, seconds) for k, share in enumerate(shares)
        ]
        done = sum(f.result() for f in futures)
    return round(done / seconds, 1), done + WRITERS


# The statement milequest.db.activity_create.log sends (its own text, the arguments filled in
# as pgbench expressions), with a walker of the team drawn by pgbench (walks stamped 30 s back,
# as the writers' are) and without `bail`: pgbench cannot run the route's second transaction
# for a walk with follow-ups, so such a walk (a few in a run: an achievement crossed, a
# milestone reached) is logged by this one call and its follow-ups are not acted on, which only
# a copy of the data set should see (BENCHMARKS.md, Method).
_LOG_ARGS = ("(:walkers::uuid[])[:i]", ":d", "900", "now() - interval '30 seconds'", "NULL",
             "false", "'MANUAL'", "NULL", "100000000", "false")  # fmt: skip


def _log_script(walkers: int) -> str:
    return (
        f"\\set i random(1, {walkers})\n\\set d random(1000, 1899)\n"
        f"{create_db.LOG_SQL % _LOG_ARGS};\n"
    )


def function_tps(
    url: str, members: list[Walker], clients: int = 8, seconds: int = SECONDS
) -> float:
    """`activity_log` for the team's walkers from pgbench at `clients` clients (prepared, as
    the route's call is planned once per session by PL/pgSQL)."""
    walkers = "{" + ",".join(m.id for m in members) + "}"
    with tempfile.NamedTemporaryFile("w", suffix=".pgbench") as script:
        script.write(_log_script(len(members)))
        script.flush()
        out = subprocess.run(
            [
                PGBENCH,
                "-n",
                "-M",
                "prepared",
                "-f",
                script.name,
                "-D",
                f"walkers={walkers}",
                "-c",
                str(clients),
                "-j",
                "2",
                "-T",
                str(seconds),
                url,
            ],  # fmt: skip
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return _tps(out)


def _tps(out: str) -> float:
    found = re.search(r"tps = ([0-9.]+)", out)
    assert found, out
    return round(float(found.group(1)), 1)


def pgbench_tps(admin_url: str, clients: int = 8, seconds: int = SECONDS) -> float:
    base = admin_url.rpartition("/")[0]
    name = f"mq_bench_pgbench_{os.getpid()}"  # its own: two benches may run on one server
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{base}/{name}"
    try:
        subprocess.run([PGBENCH, "-q", "-i", "-s", "1", url], check=True, capture_output=True)
        out = subprocess.run(
            [PGBENCH, "-b", "tpcb-like", "-c", str(clients), "-j", "2", "-T", str(seconds), url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return _tps(out)


# Each run moves the busy team's goal by up to about 30 000 km: the route's writers ≈ 12 000
# (≈ 750 walks a second of ≈ 1.6 km for 10 s), the server call alone up to ≈ 17 000 (≈ 1 200
# calls a second of ≈ 1.45 km; it logs without `bail`, so a goal it took to its target would
# stay ACTIVE, never completed). The seed leaves an ACTIVE goal a fifth short of its target:
# without a goal with room to spare, the first run would complete it and every later run would
# log walks that move no goal, so that no write would touch the progress row the part is about.
HEADROOM_M = 35_000_000
START_BACK_S = 45
# The start and end of the goal made when the busy team needs one (across the continent).
_ROUTE = {"startLocation": {"lat": 40.7128, "lng": -74.006, "address": "New York"},
          "endLocation": {"lat": 34.0522, "lng": -118.2437, "address": "Los Angeles"}}  # fmt: skip


def ensure_goal(url: str, admin: Walker) -> str:
    """The busy team's ACTIVE goal, with at least HEADROOM_M to go and a window that counts
    the run's walks: any other is cancelled and a new one of the largest target made, both
    through the goal routes as the team's admin (so its progress row starts as activation
    makes it)."""
    team = admin.team_id
    found = _active_goal_of(url, team)
    if found is not None and found.to_go_m >= HEADROOM_M and found.counts_run:
        return found.id
    if found is not None:
        r = call("PATCH", f"/teams/{team}/goals/{found.id}", admin, body={"status": "CANCELLED"})
        assert r["statusCode"] == 200, r["body"]
    # Started before the walks it must count: the writers stamp theirs 30 s in the past, and a
    # goal that started now would count none of them for its first 30 s (until 2026-12-07 a
    # run right after a new goal measured walks that moved no goal). Not much earlier: its
    # activation counts the team's walks since its start, and a run logs up to ≈ 30 000 km.
    start = (datetime.now(UTC) - timedelta(seconds=START_BACK_S)).isoformat()
    body = {"name": "Coast to coast, many times", **_ROUTE, "targetDistance": 50_000_000,
            "startDate": start}  # fmt: skip
    r = call("POST", f"/teams/{team}/goals", admin, body=body)
    assert r["statusCode"] == 201, r["body"]
    made = _active_goal_of(url, team)
    assert made is not None and made.to_go_m >= HEADROOM_M and made.counts_run, made
    return made.id


class GoalState(NamedTuple):
    id: str
    to_go_m: float
    walks: int  # counted so far
    counts_run: bool  # its window holds walks stamped from 30 s back for the next hour


def _active_goal_of(url: str, team: str) -> GoalState | None:
    """The team's ACTIVE goal, as the run needs it."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            """SELECT g.id, g.target_distance - coalesce(p.total_distance, 0),
                      coalesce(p.total_activities, 0),
                      g.start_date <= now() - interval '30 seconds'
                      AND (g.end_date IS NULL OR g.end_date > now() + interval '1 hour')
               FROM team_goals g LEFT JOIN team_progress p ON p.goal_id = g.id
               WHERE g.team_id = %s AND g.status = 'ACTIVE'""",
            (team,),
        ).fetchone()
    return GoalState(str(row[0]), float(row[1]), int(row[2]), bool(row[3])) if row else None


def run(url: str, members: list[Walker], admin_url: str) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        admin = admin_of(conn, members[0])
    goal = ensure_goal(url, admin)
    age_recent_walks(url, [m.id for m in members])
    before = _active_goal_of(url, admin.team_id)
    route, logged = route_tps(url, members)
    after = _active_goal_of(url, admin.team_id)
    age_recent_walks(url, [m.id for m in members])
    server = function_tps(url, members)
    pgbench = pgbench_tps(admin_url)
    return {"route_tps_8": route, "pgbench_tps_8": pgbench,
            "ratio": round(route / pgbench, 3) if pgbench else None,
            "function_tps_8": server,
            # every walk logged was counted by this goal, so every one locked its progress row
            "every_walk_counted": before is not None and after is not None
                                  and after.id == before.id == goal
                                  and after.walks - before.walks == logged}  # fmt: skip
