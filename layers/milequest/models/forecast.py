"""Wire models of a goal's outlook: its completion forecast and its trend (docs/analytics.md).

Apart from the goal models: team analytics and the dashboard answer with a forecast, and
importing milequest.models.goals would build every goal model class into their cold start."""

from __future__ import annotations

from datetime import date
from typing import Literal

from milequest.models.base import ApiModel

Trend = Literal["increasing", "stable", "decreasing"]


class Forecast(ApiModel):
    """Completion dates at the 10th / 50th / 90th percentile of the simulated futures (null
    beyond a century) and the share of futures that finish by the end date."""

    p10: date | None
    p50: date | None
    p90: date | None
    probability_on_time: float | None
