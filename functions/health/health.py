"""GET /health: answers even when the database is down (it opens its own connection)."""

from __future__ import annotations

import psycopg

from milequest.api.routing import Router
from milequest.config import get_settings
from milequest.db import connection as db
from milequest.domain.errors import Unavailable
from milequest.models.health import DatabaseHealth, HealthStatus

router = Router()


@router.get("/health", "Service and database health", auth=False, uses_db=False, profile="light")
def get_health() -> HealthStatus:
    version = get_settings().version
    try:
        with db.connection() as conn:
            latency = db.ping(conn)
    except psycopg.OperationalError:
        down = HealthStatus(
            status="unavailable", database=DatabaseHealth(status="unavailable"), version=version
        )
        raise Unavailable("Database unavailable", retry_after=5, details=down) from None
    return HealthStatus(
        status="ok",
        database=DatabaseHealth(status="ok", latency_ms=round(latency, 2)),
        version=version,
    )
