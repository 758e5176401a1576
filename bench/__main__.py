"""`make bench`: latency of the hot routes against a raw-SQL baseline measured in the same run.

The machine is shared and noisy, so absolute numbers mean little; each route is reported as a
median next to the median of the smallest raw SQL doing the same database work (same
statements' essence, no HTTP plumbing, no validation, no locking protocol), and their ratio.
The route is called exactly as Lambda calls it: an API Gateway payload-2.0 event into the
registered handler, through the real connection pool, against a fresh migrated database.

    python -m bench [--n 300] [--threads 8] [--write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from milequest.db.migrations import apply_migrations

ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _setup_database() -> tuple[str, str]:
    name = f"mq_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{ADMIN_URL.rpartition('/')[0]}/{name}"
    apply_migrations(url)
    return name, url


def _drop(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed(url: str, users: int) -> tuple[list[dict[str, Any]], uuid.UUID]:
    """`users` users in one team with an ACTIVE goal large enough never to complete."""
    people = []
    with psycopg.connect(url, autocommit=True) as conn:
        team = conn.execute(
            "INSERT INTO teams (name, invite_code) VALUES ('Bench', %s) RETURNING id",
            (uuid.uuid4().hex,),
        ).fetchone()
        assert team
        for i in range(users):
            sub = str(uuid.uuid4())
            row = conn.execute(
                "INSERT INTO users (cognito_id, email, name) VALUES (%s, %s, %s) RETURNING id",
                (sub, f"bench{i}-{sub[:8]}@example.com", f"Bench {i}"),
            ).fetchone()
            assert row
            conn.execute("INSERT INTO user_stats (user_id) VALUES (%s)", (row[0],))
            conn.execute(
                """INSERT INTO team_members (team_id, user_id, role, joined_at)
                   VALUES (%s, %s, 'MEMBER', now() - interval '90 days')""",
                (team[0], row[0]),
            )
            people.append({"id": row[0], "sub": sub, "email": f"bench{i}@example.com"})
        goal = conn.execute(
            """INSERT INTO team_goals (team_id, name, status, start_location, end_location,
                   route_data, route_geom, target_distance, start_date, end_date)
               VALUES (%s, 'Around the world', 'ACTIVE', '{"lat": 0, "lng": 0}',
                       '{"lat": 0, "lng": 90}', %s,
                       'SRID=4326;LINESTRING(0 0, 90 0)', 40000000,
                       now() - interval '60 days', now() + interval '60 days') RETURNING id""",
            (team[0], Jsonb({"segments": [{"distance": 4e7, "cumulativeDistance": 4e7}]})),
        ).fetchone()
        assert goal
        conn.execute(
            "INSERT INTO team_progress (goal_id, team_id) VALUES (%s, %s)", (goal[0], team[0])
        )
    return people, goal[0]


def _timed(fn: Callable[[int], Any], n: int, threads: int = 1) -> list[float]:
    def one(i: int) -> float:
        started = time.perf_counter()
        fn(i)
        return (time.perf_counter() - started) * 1000

    if threads == 1:
        return [one(i) for i in range(n)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, range(n)))


def _activity(i: int) -> dict[str, Any]:
    at = datetime.now(UTC) - timedelta(days=i % 30, minutes=i % 600 + 1)
    return {"distance": 3000 + i % 4000, "duration": 3000, "timestamp": at.isoformat()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300, help="requests per measurement")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--write", action="store_true", help="append results to BENCHMARKS.md")
    args = parser.parse_args(argv)

    name, url = _setup_database()
    try:
        rows = _run(url, args.n, args.threads)
    finally:
        from milequest.db import connection

        connection.reset()
        _drop(name)
    table = _render(rows, args)
    print(table)
    if args.write:
        with open("BENCHMARKS.md", "a", encoding="utf-8") as out:
            out.write("\n" + table)
    return 0


def _run(url: str, n: int, threads: int) -> list[tuple[str, list[float], list[float]]]:
    os.environ.update(
        DATABASE_URL=url,
        DB_MODE="pool",
        DB_POOL_MAX=str(max(threads, 2)),
        POWERTOOLS_METRICS_DISABLED="true",
        POWERTOOLS_LOG_LEVEL="WARNING",
        ACTIVITY_RATE_LIMIT="1000000",
    )
    from milequest.config import get_settings

    get_settings.cache_clear()
    from tests.support.api import TestUser, call

    people, goal_id = _seed(url, max(threads, 8))
    users = [TestUser(sub=p["sub"], email=p["email"], name="Bench", id=p["id"]) for p in people]
    raw = psycopg.connect(url, autocommit=True)

    def api_post(i: int) -> None:
        r = call("POST", "/activities", user=users[i % len(users)], json_body=_activity(i))
        assert r.status == 201, r.body

    def raw_post(i: int, conn: psycopg.Connection | None = None) -> None:
        # The essential writes of a logged activity, without validation or the lock protocol.
        c = conn or raw
        user = people[i % len(people)]["id"]
        body = _activity(i)
        with c.transaction():
            c.execute(
                """INSERT INTO activities (user_id, distance, duration, activity_at)
                   VALUES (%s, %s, %s, %s)""",
                (user, body["distance"], body["duration"], body["timestamp"]),
            )
            c.execute(
                """UPDATE user_stats SET total_distance = total_distance + %s,
                       total_duration = total_duration + %s, total_activities = total_activities + 1
                   WHERE user_id = %s""",
                (body["distance"], body["duration"], user),
            )
            c.execute(
                "UPDATE team_progress SET total_distance = total_distance + %s, "
                "total_activities = total_activities + 1 WHERE goal_id = %s",
                (body["distance"], goal_id),
            )

    results: list[tuple[str, list[float], list[float]]] = []
    _timed(api_post, 20)  # warm up pool, imports, caches
    results.append(("POST /activities (1 thread)", _timed(api_post, n), _timed(raw_post, n)))

    conns = [psycopg.connect(url, autocommit=True) for _ in range(threads)]
    try:
        by_thread: dict[int, psycopg.Connection] = {}

        def raw_post_threaded(i: int) -> None:
            import threading

            key = threading.get_ident()
            if key not in by_thread:
                by_thread[key] = conns[len(by_thread)]
            raw_post(i, by_thread[key])

        results.append(
            (
                f"POST /activities ({threads} threads, same team)",
                _timed(api_post, n, threads),
                _timed(raw_post_threaded, n, threads),
            )
        )
    finally:
        for c in conns:
            c.close()

    me = users[0]

    def api_list(i: int) -> None:
        assert call("GET", "/activities", user=me, query={"limit": 20}).status == 200

    def raw_list(i: int) -> None:
        raw.execute(
            """SELECT * FROM activities WHERE user_id = %s
               ORDER BY activity_at DESC, id DESC LIMIT 21""",
            (me.id,),
        ).fetchall()

    results.append(("GET /activities (page of 20)", _timed(api_list, n), _timed(raw_list, n)))

    def api_stats(i: int) -> None:
        assert call("GET", "/users/me/stats", user=me).status == 200

    def raw_stats(i: int) -> None:
        raw.execute("SELECT * FROM user_stats WHERE user_id = %s", (me.id,)).fetchone()
        raw.execute(
            """SELECT (activity_at AT TIME ZONE 'UTC')::date, sum(distance) FROM activities
               WHERE user_id = %s GROUP BY 1 ORDER BY 2 DESC LIMIT 1""",
            (me.id,),
        ).fetchone()

    results.append(("GET /users/me/stats", _timed(api_stats, n), _timed(raw_stats, n)))
    raw.close()
    return results


def _render(rows: list[tuple[str, list[float], list[float]]], args: argparse.Namespace) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### Run of {stamp} — `python -m bench --n {args.n} --threads {args.threads}`",
        "",
        "| measurement | route median ms | route p95 ms | raw SQL median ms | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, route, base in rows:
        med, base_med = statistics.median(route), statistics.median(base)
        p95 = statistics.quantiles(route, n=20)[-1]
        lines.append(
            f"| {label} | {med:.2f} | {p95:.2f} | {base_med:.2f} | {med / base_med:.1f}× |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
