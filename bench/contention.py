"""8 writers logging into the same busy team, beside pgbench's TPC-B-like load at 8 clients on
a scratch database of the same server: both funnel every transaction through hot rows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bench.harness import Walker, call

SECONDS = 10
# Debian's postgresql-15 package installs pgbench here; /usr/bin/pgbench is its wrapper.
PGBENCH = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"


def route_tps(members: list[Walker], seconds: float = SECONDS) -> float:
    stop = time.monotonic() + seconds
    done = [0] * len(members)

    def writer(k: int) -> None:
        i = 0
        while time.monotonic() < stop:
            at = datetime.now(UTC) - timedelta(seconds=30)
            body = {"distance": 1000 + k * 37 + i % 900, "duration": 900 + i % 300,
                    "timestamp": at.isoformat()}  # fmt: skip
            r = call("POST", "/activities", members[k], body=body)
            assert r["statusCode"] == 201, r["body"]
            done[k] += 1
            i += 1

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(len(members))]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return round(sum(done) / (time.monotonic() - started), 1)


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
    found = re.search(r"tps = ([0-9.]+)", out)
    assert found, out
    return round(float(found.group(1)), 1)


def run(members: list[Walker], admin_url: str) -> dict[str, Any]:
    route = route_tps(members)
    pgbench = pgbench_tps(admin_url)
    return {"route_tps_8": route, "pgbench_tps_8": pgbench,
            "ratio": round(route / pgbench, 3) if pgbench else None}  # fmt: skip
