"""Scheduled job: send due EMAIL and PUSH notification deliveries (every minute; locally
`make job NAME=dispatch_notifications`). Publishes NotificationDeliveriesSent and
NotificationDeliveriesFailed (permanent failures; alarmed by the infrastructure)."""

from __future__ import annotations

from typing import Any

from milequest.api.tracing import traced
from milequest.db import connection as db
from milequest.domain.notifications_dispatch import dispatch
from milequest.observability import MetricUnit, logger, metrics

SCHEDULE = "rate(1 minute)"


@traced
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    with db.connection() as conn:
        summary = dispatch(conn)
    metrics.add_metric(name="NotificationDeliveriesSent", unit=MetricUnit.Count, value=summary.sent)
    metrics.add_metric(
        name="NotificationDeliveriesFailed", unit=MetricUnit.Count, value=summary.failed
    )
    metrics.flush_metrics()
    result = {
        "sent": summary.sent,
        "failed": summary.failed,
        "retried": summary.retried,
        "deferred": summary.deferred,
    }
    logger.info("notification deliveries dispatched", extra=result)
    return result
