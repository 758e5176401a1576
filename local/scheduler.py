"""`make run` runs every job of functions/jobs in the background on its schedule.

A module's `LOCAL_SCHEDULE` (if any) wins over its `SCHEDULE`, so a job can run more often
locally (e.g. a leaderboard refresh every minute). Jobs run in-process, one at a time, in one
daemon thread; a failing job is logged and retried at its next time, never fatal. Rates start
counting when the server starts (like a new EventBridge rule); crons fire at their UTC minute.
`LOCAL_JOBS=0` turns it off.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from local.schedules import Schedule, parse
from milequest.observability import logger

JOBS_DIR = Path(__file__).resolve().parents[1] / "functions" / "jobs"
DEFAULT_SCHEDULE = "rate(1 hour)"  # as infra/jobs.py: a job without SCHEDULE runs hourly
MAX_SLEEP_S = 30.0


@dataclass
class ScheduledJob:
    name: str
    expression: str
    schedule: Schedule
    handler: Callable[[dict[str, Any], Any], Any]
    next_run: datetime


def discover(
    now: datetime, directory: Path = JOBS_DIR, package: str = "functions.jobs"
) -> list[ScheduledJob]:
    jobs = []
    for info in sorted(pkgutil.iter_modules([str(directory)]), key=lambda m: m.name):
        if info.ispkg or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        handler = getattr(module, "handler", None)
        if not callable(handler):
            continue
        expression = str(
            getattr(module, "LOCAL_SCHEDULE", None) or getattr(module, "SCHEDULE", DEFAULT_SCHEDULE)
        )
        schedule = parse(expression)
        first = schedule.next_after(now)
        jobs.append(ScheduledJob(info.name, expression, schedule, handler, first))
    return jobs


def tick(jobs: list[ScheduledJob], now: datetime) -> list[str]:
    """Run every due job, in name order; returns the names that ran (failed ones included)."""
    ran = []
    for job in jobs:
        if job.next_run > now:
            continue
        started = time.perf_counter()
        try:
            job.handler({}, None)
            logger.info(
                "local job ran",
                extra={"job": job.name, "ms": round((time.perf_counter() - started) * 1000)},
            )
        except Exception:  # a broken job must not stop the others or the server
            logger.exception("local job failed", extra={"job": job.name})
        job.next_run = job.schedule.next_after(now)
        ran.append(job.name)
    return ran


def enabled() -> bool:
    return os.environ.get("LOCAL_JOBS", "1").strip().lower() not in ("0", "false", "no", "off")


def _loop(stop: threading.Event) -> None:
    jobs = discover(datetime.now(UTC))
    logger.info("local scheduler started", extra={"jobs": {j.name: j.expression for j in jobs}})
    while not stop.is_set():
        tick(jobs, datetime.now(UTC))
        soonest = min((j.next_run for j in jobs), default=None)
        wait = MAX_SLEEP_S
        if soonest is not None:
            wait = min(MAX_SLEEP_S, max(1.0, (soonest - datetime.now(UTC)).total_seconds()))
        stop.wait(wait)


def start(stop: threading.Event) -> threading.Thread:
    """Start the background thread (a no-op thread when LOCAL_JOBS=0); set `stop` to end it."""
    target = _loop if enabled() else (lambda _stop: None)
    thread = threading.Thread(target=target, args=(stop,), name="local-jobs", daemon=True)
    thread.start()
    return thread
