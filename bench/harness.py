"""What every measurement shares: the data set's ids, a caller that goes through the Lambda
entry exactly as API Gateway would, and statistics that report medians and p95."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "build" / "bench" / "dataset.json"


def load_dataset() -> dict[str, Any]:
    if not DATASET.exists():
        raise SystemExit("no data set: run `make seed-scale` first")
    return json.loads(DATASET.read_text())


def use_database(url: str, pool: int = 10) -> None:
    from milequest import vapid

    keys = vapid.generate()  # so that the push routes answer (locally `make run` makes a pair)
    os.environ.update(
        VAPID_PRIVATE_KEY=keys["privateKey"],
        VAPID_PUBLIC_KEY=keys["publicKey"],
        DATABASE_URL=url,
        DB_MODE="pool",
        DB_POOL_MAX=str(pool),
        POWERTOOLS_METRICS_DISABLED="true",
        POWERTOOLS_LOG_LEVEL="WARNING",
        ACTIVITY_RATE_LIMIT="100000000",
    )
    from milequest.config import get_settings
    from milequest.observability import logger

    get_settings.cache_clear()
    vapid.keys.cache_clear()
    # The logger was made at import, before the environment above was set: quiet it here so
    # the report on stdout is the report alone.
    logger.setLevel("WARNING")


def age_recent_walks(url: str, user_ids: list[str]) -> None:
    """Move the creation time of the users' walks of the last hour an hour back, so that a
    run's writes find what the first run of an hour finds. The benchmark's rate limit is 10⁸
    so that no walk is refused, and under it the write's rate-limit count reads every walk
    of the walker's last hour: after a few runs, hundreds (≈ 0.5 ms a walk), where
    production's limit of 60 stops the count at 60. Only `created_at` moves (it feeds the rate
    limit and the replay window alone); `activity_at`, and with it every total, stays."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """UPDATE activities SET created_at = created_at - interval '1 hour'
               WHERE user_id = ANY(%s::uuid[]) AND created_at > now() - interval '1 hour'""",
            (user_ids,),
        )


# A slow read stops after this many seconds per function measured (but never before
# MIN_SAMPLES), so that `--n` bounds the fast routes and the run's length stays bounded whatever
# the slow routes cost.
CAP_SECONDS = 3.0
MIN_SAMPLES = 15


def timed(fn: Callable[[int], Any], n: int, cap: bool = True) -> list[float]:
    return alternated([fn], n, cap)[0]


def alternated(fns: list[Callable[[int], Any]], n: int, cap: bool = True) -> list[list[float]]:
    """Each function's timings in ms, the functions called in turn (a, b, a, b, …) so that on a
    noisy machine a measurement and its baseline see the same load."""
    out: list[list[float]] = [[] for _ in fns]
    deadline = time.perf_counter() + CAP_SECONDS * len(fns)
    for i in range(n):
        for fn, samples in zip(fns, out, strict=True):
            started = time.perf_counter()
            fn(i)
            samples.append((time.perf_counter() - started) * 1000)
        if cap and i + 1 >= MIN_SAMPLES and time.perf_counter() > deadline:
            break
    return out


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3),
    }


@dataclass(frozen=True)
class Walker:
    """A data-set user as the JWT authorizer would describe them."""

    id: str
    sub: str
    email: str
    team_id: str
    goal_id: str
    activity_id: str
    teammate_id: str
    # Ids the data set lacks (a share, an invite), made by the bench's setup: path name → id.
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def claims(self) -> dict[str, Any]:
        return {"sub": self.sub, "email": self.email, "name": "Walker",
                "email_verified": True, "token_use": "id"}  # fmt: skip


def walker(conn: psycopg.Connection[Any], user_id: str, team_id: str | None = None) -> Walker:
    """The user with the facts the routes' paths need: their biggest team (or `team_id`) and
    its goal, their newest walk, and a teammate."""
    row = conn.execute(
        """SELECT u.cognito_id, u.email, m.team_id, g.id,
                  (SELECT id FROM activities WHERE user_id = u.id
                   ORDER BY activity_at DESC LIMIT 1),
                  (SELECT o.user_id FROM team_members o WHERE o.team_id = m.team_id
                     AND o.user_id <> u.id AND o.left_at IS NULL LIMIT 1)
           FROM users u JOIN team_members m ON m.user_id = u.id AND m.left_at IS NULL
           JOIN team_goals g ON g.team_id = m.team_id
           WHERE u.id = %s AND (%s::uuid IS NULL OR m.team_id = %s::uuid)
           ORDER BY (SELECT count(*) FROM team_members c WHERE c.team_id = m.team_id) DESC
           LIMIT 1""",
        (user_id, team_id, team_id),
    ).fetchone()
    if row is None:
        raise SystemExit(f"user {user_id} is in no team with a goal")
    return Walker(user_id, row[0], row[1], str(row[2]), str(row[3]), str(row[4]), str(row[5]))


def team_walkers(conn: psycopg.Connection[Any], team_id: str) -> list[Walker]:
    """Every live member of the team, as walkers in that team."""
    ids = conn.execute(
        "SELECT user_id FROM team_members WHERE team_id = %s AND left_at IS NULL ORDER BY user_id",
        (team_id,),
    ).fetchall()
    return [walker(conn, str(u), team_id) for (u,) in ids]


def admin_of(conn: psycopg.Connection[Any], w: Walker) -> Walker:
    """An admin of `w`'s team, for the routes only admins may call."""
    row = conn.execute(
        """SELECT user_id FROM team_members
           WHERE team_id = %s AND role = 'ADMIN' AND left_at IS NULL
           ORDER BY joined_at LIMIT 1""",
        (w.team_id,),
    ).fetchone()
    if row is None:
        raise SystemExit(f"team {w.team_id} has no admin")
    return walker(conn, str(row[0]), w.team_id)


def concrete(path: str, w: Walker) -> str:
    ids = {"teamId": w.team_id, "goalId": w.goal_id, "activityId": w.activity_id,
           "userId": w.teammate_id, **w.extra}  # fmt: skip
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return path


def call(method: str, path: str, w: Walker | None, query: dict[str, Any] | None = None,
         body: Any = None) -> dict[str, Any]:  # fmt: skip
    """One request through the route's Lambda entry, as API Gateway would make it."""
    from local.events import build_event
    from local.server import load_handler, match

    found = match(method, path)
    assert found is not None, (method, path)
    route, params = found
    event = build_event(
        route,
        path,
        params,
        query=urlencode(query or {}),
        body=json.dumps(body).encode() if body is not None else None,
        claims=w.claims if w else None,
    )
    return load_handler(route.handler)(event, None)
