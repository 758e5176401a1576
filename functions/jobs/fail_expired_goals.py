"""Scheduled job: ACTIVE goals whose end date has passed become FAILED and their teams are
notified (GOAL_FAILED, once per goal). Idempotent: a second run changes nothing."""

from __future__ import annotations

from typing import Any

from milequest.db import connection as db
from milequest.domain.goal_expiry import fail_expired_goals
from milequest.observability import MetricUnit, logger, metrics

SCHEDULE = "rate(1 hour)"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    with db.connection() as conn:
        failed = fail_expired_goals(conn)
    metrics.add_metric(name="GoalsFailed", unit=MetricUnit.Count, value=len(failed))
    metrics.flush_metrics()
    result = {"failed": [str(g) for g in failed]}
    logger.info("expired goals failed", extra=result)
    return result
