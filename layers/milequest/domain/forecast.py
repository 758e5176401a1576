"""Completion forecast of a goal (docs/analytics.md): a pure function, no database.

The pace sample is the team's daily distance over the last 28 local days, zero days included.
Each of 1,000 simulated futures walks one day drawn (with replacement) from the sample per day
until the remaining distance is covered; the spread of the finishing days gives the p10 / p50 /
p90 dates, and the share of futures finished by the end date the probability. The random
generator is seeded by the goal id, so the same data always gives the same forecast.

numpy is imported inside `forecast()` only: it costs tens of milliseconds to import, and only
the routes that answer with a forecast should pay that on a cold start.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from milequest.models.goals import Forecast

if TYPE_CHECKING:
    import numpy

SAMPLE_DAYS = 28
MIN_ACTIVE_DAYS = 3
SIMULATIONS = 1_000
# Beyond a century there is no date (the progress projection uses the same horizon).
HORIZON_DAYS = 36_500
# Most days simulated per step: bounds memory (SIMULATIONS x CHUNK floats) whatever the spread.
_CHUNK_DAYS = 730


def active_days(sample: Sequence[float]) -> int:
    return sum(1 for d in sample if d > 0)


def forecast(
    *,
    goal_id: UUID,
    sample: Sequence[float],
    remaining: float,
    today: date,
    end_date: date | None,
    completed_on: date | None = None,
) -> Forecast | None:
    """`sample`: metres per day, oldest first; `remaining`: metres still to walk; day 1 of
    every simulated future is tomorrow. `completed_on`: the day a finished goal was reached
    (its forecast is that day, with certainty)."""
    if remaining <= 0:
        done = completed_on or today
        on_time = None if end_date is None else (1.0 if done <= end_date else 0.0)
        return Forecast(p10=done, p50=done, p90=done, probability_on_time=on_time)
    if active_days(sample) < MIN_ACTIVE_DAYS:
        return None
    if remaining > max(sample) * HORIZON_DAYS:
        # Not even the best day every day gets there within the horizon: skip the simulation.
        return Forecast(p10=None, p50=None, p90=None, probability_on_time=_on_time_none(end_date))
    days = _finishing_days(goal_id, sample, remaining)
    ordered = sorted(days.tolist())
    p10, p50, p90 = (_percentile(ordered, q) for q in (0.10, 0.50, 0.90))
    return Forecast(
        p10=_date(today, p10),
        p50=_date(today, p50),
        p90=_date(today, p90),
        probability_on_time=_on_time(days, today, end_date),
    )


def _finishing_days(goal_id: UUID, sample: Sequence[float], remaining: float) -> numpy.ndarray:
    """Days each simulated future needs (HORIZON_DAYS + 1 for those that never finish).

    Walking day by day from tomorrow costs a draw per future per day, most of them long before
    any future can finish. So every future first jumps `lead` days at once: the days drawn
    from a k-day sample in n draws are counted by a multinomial(n, 1/k each), and the distance
    walked is those counts times the sample's days, the same law as n single draws. `lead`
    stops about four standard deviations short of the mean finish, so hardly any future
    finishes inside it; one that does is replayed in a random order of its drawn days (given
    the counts, every order is equally likely), which finds its finishing day exactly. From
    there the futures walk day by day in blocks about as wide as the spread of the finishes."""
    import numpy as np

    values = np.asarray(sample, dtype=np.float64)
    rng = np.random.default_rng(goal_id.int)
    mean, spread = float(values.mean()), float(values.std())
    lead = min(_lead_days(remaining, mean, spread), HORIZON_DAYS)
    counts = rng.multinomial(lead, np.full(values.size, 1 / values.size), size=SIMULATIONS)
    walked = counts @ values
    finished = np.full(SIMULATIONS, HORIZON_DAYS + 1, dtype=np.int64)
    for i in np.flatnonzero(walked >= remaining):
        path = np.cumsum(rng.permutation(np.repeat(values, counts[i])))
        finished[i] = int((path >= remaining).argmax()) + 1
    open_ = walked < remaining
    block = min(max(16, math.ceil(8 * spread * math.sqrt(max(lead, 1)) / mean)), _CHUNK_DAYS)
    elapsed = lead
    # Day indexes as bytes when the sample is that short: the draws cost a fraction of int64's.
    index = np.uint8 if values.size <= 256 else np.int64
    while elapsed < HORIZON_DAYS and open_.any():
        chunk = min(block, HORIZON_DAYS - elapsed)
        idx = np.flatnonzero(open_)
        days = values[rng.integers(0, values.size, size=(idx.size, chunk), dtype=index)]
        totals = walked[idx, None] + np.cumsum(days, axis=1)
        reached = totals >= remaining
        hit = reached.any(axis=1)
        finished[idx[hit]] = elapsed + reached[hit].argmax(axis=1) + 1
        walked[idx] = totals[:, -1]
        open_[idx[hit]] = False
        elapsed += chunk
    return finished


def _lead_days(remaining: float, mean: float, spread: float) -> int:
    """The largest n with n * mean + 4 * spread * sqrt(n) <= remaining, less one (float edge):
    the days after which a future rarely has finished yet."""
    root = (-4 * spread + math.sqrt(16 * spread * spread + 4 * mean * remaining)) / (2 * mean)
    return max(math.floor(root * root) - 1, 0)


def _percentile(ordered: list[int], q: float) -> int:
    """Nearest-rank percentile: the smallest day count at least `q` of the futures reach."""
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


def _date(today: date, days: int) -> date | None:
    return today + timedelta(days=days) if days <= HORIZON_DAYS else None


def _on_time_none(end_date: date | None) -> float | None:
    return None if end_date is None else 0.0


def _on_time(days: numpy.ndarray, today: date, end_date: date | None) -> float | None:
    if end_date is None:
        return None
    allowed = (end_date - today).days
    if allowed <= 0:
        return 0.0
    return round(float((days <= allowed).mean()), 3)
