"""The forecast of one goal from the database (the pure simulation is milequest.domain.forecast)."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from psycopg import Connection

from milequest.db import pace_sample as pace_db
from milequest.domain import background
from milequest.domain.forecast import SAMPLE_DAYS, forecast
from milequest.domain.goal_progress import StoredGoal
from milequest.models.forecast import Forecast

if TYPE_CHECKING:  # the row type only: the dashboard's cold start does not import db.goals
    from milequest.db.goals import GoalRow


def goal_forecast(conn: Connection[Any], row: GoalRow, now: datetime) -> Future[Forecast | None]:
    """A COMPLETED goal's forecast is its completion; other finished goals have none. An
    ACTIVE goal's pace sample is read here and its simulation runs in the background
    (milequest.domain.background): the caller reads its other rows meanwhile and takes the
    forecast with `.result()`."""
    if row.status == "COMPLETED":
        return _done(
            forecast(
                goal_id=row.id,
                sample=[],
                remaining=0.0,
                today=now.date(),
                end_date=row.end_date.date() if row.end_date else None,
                completed_on=(row.completed_at or now).date(),
            )
        )
    if row.status != "ACTIVE":
        return _done(None)
    sample = pace_db.daily_sample(conn, row.team_id, SAMPLE_DAYS)
    return background.start(active_forecast, row.id, row, sample, now)


def _done(value: Forecast | None) -> Future[Forecast | None]:
    done: Future[Forecast | None] = Future()
    done.set_result(value)
    return done


def active_forecast(
    goal_id: UUID, goal: StoredGoal, sample: Sequence[float], now: datetime
) -> Forecast | None:
    """An ACTIVE goal's forecast from its team's pace sample (db.pace_sample.daily_sample): the
    one computation behind /progress, team analytics and the dashboard's card."""
    return forecast(
        goal_id=goal_id,
        sample=sample,
        remaining=float(goal.target_distance) - float(goal.total_distance),
        today=now.date(),
        end_date=goal.end_date.date() if goal.end_date else None,
    )
