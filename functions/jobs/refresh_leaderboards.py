"""Scheduled job: refresh the public boards' materialized views and the recommendations' team
pace (docs/analytics.md) CONCURRENTLY (readers are never blocked) and record each refresh time,
which the boards answer as `asOf`. Idempotent."""

from __future__ import annotations

import time
from typing import Any

from milequest.db import connection as db
from milequest.domain.leaderboards import refresh_public_boards, refresh_team_pace
from milequest.observability import MetricUnit, logger, metrics

SCHEDULE = "rate(5 minutes)"
# `make run` runs it this often, so a walk logged locally is on the global board within a minute.
LOCAL_SCHEDULE = "rate(1 minute)"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    started = time.perf_counter()
    with db.connection() as conn:
        refreshed = refresh_public_boards(conn)
        refreshed["pace"] = refresh_team_pace(conn)
    elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
    metrics.add_metric(
        name="LeaderboardRefreshDuration", unit=MetricUnit.Milliseconds, value=elapsed_ms
    )
    metrics.flush_metrics()
    result = {
        "refreshed": {board: at.isoformat() for board, at in refreshed.items()},
        "durationMs": elapsed_ms,
    }
    logger.info("leaderboards refreshed", extra=result)
    return result
