"""The local HTTP server at 1 and 8 clients beside the same routes in-process, for a user
registered through the server (so the token is a real one from the local Cognito)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.harness import ROOT, Walker, alternated, call, summary

# GET /health has no database work and no token: over HTTP it is the serving path alone.
ROUTES = ("GET /health", "GET /dashboard", "GET /users/me/stats", "GET /activities",
          "POST /activities")  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    def __init__(self, port: int, token: str | None = None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = token
        self.handler_ms: list[float] = []  # the server's own handler time (Server-Timing)

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        """The status and the body as received (not parsed: in-process, the body is not
        parsed either)."""
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body) if body is not None else None
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        timing = r.getheader("Server-Timing") or ""
        if "dur=" in timing:
            self.handler_ms.append(float(timing.rpartition("dur=")[2]))
        return r.status, r.read()


def _walk(i: int) -> dict[str, Any]:
    # Always the newest walk (a back-dated one takes the full-history streak recompute).
    at = datetime.now(UTC) - timedelta(seconds=1)
    return {"distance": 2000 + i % 5000, "duration": 1800 + i % 900, "timestamp": at.isoformat()}


def _start(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "LOCAL_JOBS": "0",
           "POWERTOOLS_LOG_LEVEL": "WARNING", "ACTIVITY_RATE_LIMIT": "100000000",
           "PYTHONPATH": f"{ROOT / 'layers'}:{ROOT}"}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "local.server", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", "/health")[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the local server did not start")


def _sign_up(port: int, team_id: str, url: str) -> tuple[str, Walker]:
    email = f"bench-{int(time.time())}@scale.milequest.dev"
    c = Client(port)
    body = {"email": email, "password": "Walk-1234", "name": "Bench Walker"}
    assert c.request("POST", "/auth/register", body)[0] == 201
    assert c.request("POST", "/auth/verify-email", {"email": email, "code": "123456"})[0] == 200
    login = json.loads(
        c.request("POST", "/auth/login", {"email": email, "password": "Walk-1234"})[1]
    )
    token = login["data"]["tokens"]["accessToken"]
    user_id = login["data"]["user"]["id"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """INSERT INTO team_members (team_id, user_id, joined_at)
               VALUES (%s, %s, now() - interval '30 days')""",
            (team_id, user_id),
        )
        sub, goal = conn.execute(
            """SELECT u.cognito_id, g.id FROM users u, team_goals g
               WHERE u.id = %s AND g.team_id = %s""",
            (user_id, team_id),
        ).fetchone()  # type: ignore[misc]
    me = Walker(user_id, sub, email, team_id, str(goal), "", "")
    for i in range(100):  # a history to read: a walk a day, oldest first
        walk = {**_walk(i), "timestamp": (datetime.now(UTC) - timedelta(days=100 - i)).isoformat()}
        assert Client(port, token).request("POST", "/activities", walk)[0] == 201
    return token, me


def _measure(port: int, token: str, key: str, clients: int, n: int) -> dict[str, Any]:
    method, path = key.split(" ", 1)
    samples: list[float] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        c = Client(port, token)
        mine = []
        for i in range(n):
            body = _walk(k * 100_000 + i) if method == "POST" else None
            t = time.perf_counter()
            status, _ = c.request(method, path, body)
            mine.append((time.perf_counter() - t) * 1000)
            assert status < 300, (key, status)
        with lock:
            samples.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"clients": clients, **summary(samples), "rps": round(len(samples) / elapsed, 1)}


def _inprocess(method: str, path: str, me: Walker, i: int) -> dict[str, Any]:
    return call(method, path, me, body=_walk(i) if method == "POST" else None)


def _cpu_ms(pid: int) -> float:
    """A process's CPU time so far (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _side_by_side(server: int, port: int, token: str, me: Walker, key: str,
                  n: int) -> dict[str, Any]:  # fmt: skip
    """One client, its requests alternating with the same request in-process: on a noisy
    machine both see the same load. Beside the times, the CPU each costs (the server process's
    per request against the in-process call's thread): what the serving path costs, whatever
    the load, which on a shared machine mostly shows as waiting to be scheduled."""
    method, path = key.split(" ", 1)
    c = Client(port, token)
    inproc_cpu: list[float] = []

    def remote(i: int) -> None:
        status, _ = c.request(method, path, _walk(i) if method == "POST" else None)
        assert status < 300, (key, status)

    def local(i: int) -> None:
        started = time.thread_time()
        _inprocess(method, path, me, i)
        inproc_cpu.append((time.thread_time() - started) * 1000)

    server_cpu = _cpu_ms(server)
    over, inproc = alternated([remote, local], n, cap=False)
    server_cpu = (_cpu_ms(server) - server_cpu) / n
    return {"clients": 1, **summary(over), "rps": round(n / sum(over) * 1000, 1),
            "inprocess_median_ms": summary(inproc)["median_ms"],
            "server_handler_median_ms": summary(c.handler_ms)["median_ms"],
            "server_cpu_ms": round(server_cpu, 3),
            "inprocess_cpu_ms": round(sum(inproc_cpu) / n, 3)}  # fmt: skip


def run(url: str, team_id: str, n: int) -> dict[str, Any]:
    port = _free_port()
    proc = _start(url, port)
    try:
        token, me = _sign_up(port, team_id, url)
        out: dict[str, Any] = {}
        for key in ROUTES:
            one = _side_by_side(proc.pid, port, token, me, key, n)
            out[key] = one
            row = _measure(port, token, key, 8, max(n // 4, 5))
            row["inprocess_median_ms"] = one["inprocess_median_ms"]
            out[f"{key} @8"] = row
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=10)
