"""Scheduled job: recompute user_stats, user_daily_totals and team_progress from raw rows,
report the drift found as the ReconciliationDrift metric (alarmed on when > 0), and repair
it."""

from __future__ import annotations

from typing import Any

from milequest.db import connection as db
from milequest.domain.reconciliation import reconcile
from milequest.observability import MetricUnit, logger, metrics

SCHEDULE = "rate(1 hour)"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    repair = not (event or {}).get("dryRun", False)
    with db.connection() as conn:
        drift = reconcile(conn, repair=repair)
    metrics.add_metric(name="ReconciliationDrift", unit=MetricUnit.Count, value=drift.total)
    metrics.flush_metrics()
    result = {
        "usersChecked": drift.users_checked,
        "goalsChecked": drift.goals_checked,
        "usersRepaired": [str(u) for u in drift.users_repaired],
        "dailyTotalsRepaired": [str(u) for u in drift.days_repaired],
        "goalsRepaired": [str(g) for g in drift.goals_repaired],
        "repaired": repair,
    }
    if drift.total:
        logger.warning("aggregate drift found", extra=result)
    else:
        logger.info("aggregates consistent", extra=result)
    return result
