"""Scheduled job: database health every 5 minutes (statement times, connections, sizes and
growth, cache hit ratio, most active tables, rollbacks, size against allocated storage),
published as MileQuest metrics for the alarms and the dashboard."""

from __future__ import annotations

import os
from typing import Any

from functions.jobs._publish import publish
from milequest.api.tracing import traced
from milequest.config import get_settings
from milequest.db import connection as db
from milequest.domain.database_monitoring import survey
from milequest.observability import MetricUnit, logger

SCHEDULE = "rate(5 minutes)"
GIB = 1024**3

UNITS = {
    "DatabaseConnectionsUsedPercent": MetricUnit.Percent,
    "BufferCacheHitRatio": MetricUnit.Percent,
    "DatabaseRollbacks": MetricUnit.Count,
    "DatabaseSizeBytes": MetricUnit.Bytes,
    "DatabaseAllocatedStorageBytes": MetricUnit.Bytes,
}


def allocated_storage_bytes() -> tuple[int | None, str]:
    """(bytes, source). The instance's own figure when we know which instance we are on;
    else a configured one (local, or an instance this job may not describe)."""
    identifier = os.environ.get("DB_INSTANCE_IDENTIFIER")
    if identifier:
        import boto3  # only in the cloud; keeps local runs and cold starts of others light

        client = boto3.client("rds", region_name=get_settings().aws_region)
        found = client.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"]
        return int(found[0]["AllocatedStorage"]) * GIB, f"rds:{identifier}"
    configured = os.environ.get("DB_ALLOCATED_STORAGE_GB")
    if configured:
        return int(float(configured) * GIB), "env:DB_ALLOCATED_STORAGE_GB"
    return None, "unknown"


@traced
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    top = int((event or {}).get("top", 10))
    with db.connection() as conn:
        result = survey(conn, top=top)
    allocated, source = allocated_storage_bytes()
    report = result.report
    values = dict(result.metrics)
    report["allocatedStorage"] = {"bytes": allocated, "source": source}
    if allocated:
        values["DatabaseAllocatedStorageBytes"] = float(allocated)
        report["storageUsedPercent"] = round(100.0 * report["databaseSizeBytes"] / allocated, 3)
    report["metrics"] = values
    publish({name: (UNITS[name], value) for name, value in values.items()})
    if not report["statements"]["available"]:
        logger.info("pg_stat_statements unavailable", extra={"reason": report["statements"]})
    logger.info("database monitored", extra={"metrics": values})
    return report
