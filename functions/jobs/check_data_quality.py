"""Scheduled job: hourly data-quality audit (orphaned rows, invariants the database cannot
enforce, aggregate drift without repair). Publishes DataQualityFindings in total and per check
(dimension Check=<name>), alarmed on when non-zero."""

from __future__ import annotations

from typing import Any

from functions.jobs._publish import publish, publish_per_dimension
from milequest.db import connection as db
from milequest.domain.data_quality import audit
from milequest.observability import MetricUnit, logger

SCHEDULE = "rate(1 hour)"
METRIC = "DataQualityFindings"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    with db.connection() as conn:
        result = audit(conn)
    publish({METRIC: (MetricUnit.Count, float(result.total))})
    publish_per_dimension(METRIC, "Check", {k: float(v) for k, v in result.findings.items()})
    report = {
        "findings": result.total,
        "checks": result.findings,
        "samples": result.samples,
        "usersChecked": result.users_checked,
        "goalsChecked": result.goals_checked,
    }
    if result.total:
        logger.warning("data-quality findings", extra=report)
    else:
        logger.info("data quality clean", extra=report)
    return report
