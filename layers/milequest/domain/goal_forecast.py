"""The forecast of one goal from the database (the pure simulation is milequest.domain.forecast)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import Connection

from milequest.db import analytics as analytics_db
from milequest.db.goals import GoalRow
from milequest.domain.forecast import SAMPLE_DAYS, forecast
from milequest.models.goals import Forecast


def goal_forecast(conn: Connection[Any], row: GoalRow, now: datetime) -> Forecast | None:
    """A COMPLETED goal's forecast is its completion; other finished goals have none."""
    if row.status == "COMPLETED":
        return forecast(
            goal_id=row.id,
            sample=[],
            remaining=0.0,
            today=now.date(),
            end_date=row.end_date.date() if row.end_date else None,
            completed_on=(row.completed_at or now).date(),
        )
    if row.status != "ACTIVE":
        return None
    return forecast(
        goal_id=row.id,
        sample=analytics_db.daily_sample(conn, row.team_id, SAMPLE_DAYS),
        remaining=float(row.target_distance) - float(row.total_distance),
        today=now.date(),
        end_date=row.end_date.date() if row.end_date else None,
    )
