"""Scheduled job: delete stored idempotency keys past their expiry (every key is kept at least
24 hours, enforced by the table's CHECK; a replay after that runs the request again)."""

from __future__ import annotations

from typing import Any

from functions.jobs._publish import publish
from milequest.db import connection as db
from milequest.db.idempotency import purge_expired
from milequest.observability import MetricUnit, logger

SCHEDULE = "cron(30 3 * * ? *)"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    with db.connection() as conn:
        purged = purge_expired(conn)
    publish({"IdempotencyKeysPurged": (MetricUnit.Count, float(purged))})
    report = {"purged": purged}
    logger.info("expired idempotency keys purged", extra=report)
    return report
