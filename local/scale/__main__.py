"""`make seed-scale`: build the benchmark data set in its own database and print what it made.

    python -m local.scale [--users 10000] [--teams 1000] [--activities 1000000] [--verify]

The database (SCALE_DATABASE_URL, default .../milequest_scale) is dropped and made anew, so a
run never mixes with local development data. `build/bench/dataset.json` records the ids the
benchmark needs (a heavy and a light user, a busy team, its goal)."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from local.scale import derived, raw
from milequest.db.migrations import apply_migrations

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/milequest_scale"


def recreate(url: str) -> None:
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    apply_migrations(url)


def build(url: str, users: int, teams: int, activities: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    ds = raw.Dataset(now=datetime.now(UTC))
    timings: dict[str, Any] = {}
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        for step, run in (
            ("users", lambda: raw.users(conn, ds, users, rng)),
            ("teams", lambda: raw.teams(conn, ds, teams, rng)),
            ("routes", lambda: raw.goals(conn, ds, rng)),
            ("activities", lambda: raw.activities(conn, ds, activities, rng, heavy=5000)),
            ("social", lambda: raw.social(conn, ds, activities // 20, rng)),
            ("goals", lambda: timings.update(goal_status=derived.goals(conn))),
            ("user_stats", lambda: derived.user_stats(conn)),
            ("daily_totals", lambda: derived.daily_totals(conn)),
            ("achievements", lambda: derived.achievements(conn)),
            ("notifications", lambda: derived.notifications(conn, ds)),
            ("views", lambda: derived.views(conn)),
        ):
            t = time.perf_counter()
            run()
            timings[step] = round(time.perf_counter() - t, 2)
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in (
                "users",
                "teams",
                "team_members",
                "team_goals",
                "activities",
                "activity_comments",
                "activity_reactions",
                "user_achievements",
                "notifications",
            )  # fmt: skip
        }
    busiest = max(ds.teams, key=lambda t: len(ds.members[t]))
    return {
        "database": url.rpartition("@")[2],
        "seconds": round(time.perf_counter() - started, 1),
        "steps": timings,
        "rows": counts,
        "heavyUser": {"id": str(ds.users[0]), "activities": ds.activity_count[ds.users[0]]},
        "lightUser": {"id": str(ds.users[1]), "activities": ds.activity_count[ds.users[1]]},
        "busyTeam": {
            "id": str(busiest),
            "members": len(ds.members[busiest]),
            "goalId": str(ds.goals[ds.teams.index(busiest)]),
            "memberIds": [str(u) for u in ds.members[busiest][:8]],
        },
    }


def verify(url: str) -> dict[str, Any]:
    """Reconciliation over everything, without repairing: the data set must need none."""
    from milequest.domain.reconciliation import reconcile

    with psycopg.connect(url, autocommit=True) as conn:
        drift = reconcile(conn, repair=False)
    return {
        "usersDrifted": len(drift.users_repaired),
        "dailyTotalsDrifted": len(drift.days_repaired),
        "goalsDrifted": len(drift.goals_repaired),
    }


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--users", type=int, default=10_000)
    p.add_argument("--teams", type=int, default=1_000)
    p.add_argument("--activities", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=20261201)
    p.add_argument("--verify", action="store_true", help="run reconciliation (dry run) after")
    args = p.parse_args(argv)
    url = os.environ.get("SCALE_DATABASE_URL", DEFAULT_URL)
    recreate(url)
    report = build(url, args.users, args.teams, args.activities, args.seed)
    if args.verify:
        report["verify"] = verify(url)
    out = ROOT / "build" / "bench" / "dataset.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({**report, "url": url}, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
