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
from functools import lru_cache
from typing import TYPE_CHECKING
from uuid import UUID

from milequest.models.forecast import Forecast

if TYPE_CHECKING:
    import numpy

SAMPLE_DAYS = 28
MIN_ACTIVE_DAYS = 3
SIMULATIONS = 1_000
# Beyond a century there is no date (the progress projection uses the same horizon).
HORIZON_DAYS = 36_500
# Most days simulated per step: bounds memory (SIMULATIONS x CHUNK floats) whatever the spread.
_CHUNK_DAYS = 730
# Up to this lead, drawing the days one by one costs less than the multinomial jump (measured
# on this 2-core machine: the jump ~2-6 ms, dearest near 900 days; single draws ~4 us per day
# for the 1,000 futures; they cross over near 900 days).
_DIRECT_LEAD_DAYS = 900
# Days per sub-block in the search for the day a future finishes.
_SUB_DAYS = 16
# Simulations kept per process (a Lambda execution environment): each ≈ 1.5 KB
# (the 28-day sample, the forecast, the key's goal and dates): ≈ 0.75 MB at most.
SIMULATIONS_KEPT = 512


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
    # A copy: the kept one is shared by every later call with the same inputs.
    return _simulated(goal_id, tuple(sample), remaining, today, end_date).model_copy()


@lru_cache(maxsize=SIMULATIONS_KEPT)
def _simulated(
    goal_id: UUID, sample: tuple[float, ...], remaining: float, today: date, end_date: date | None
) -> Forecast:
    """The simulation's forecast, kept for its exact inputs: seeded by the goal id, the same
    inputs always give the same forecast, and until the team walks again (which changes
    `remaining`) or the day turns, every view of the goal (its members' dashboards, /progress,
    team analytics) asks for the same one. A simulation costs ≈ 1.3 ms of CPU for a finish a
    month or so away, 2-6 ms further; the light user's dashboard runs three (docs/analytics.md)."""
    days = _finishing_days(goal_id, sample, remaining)
    ordered = _sorted(days)
    p10, p50, p90 = (_percentile(ordered, q) for q in (0.10, 0.50, 0.90))
    return Forecast(
        p10=_date(today, p10),
        p50=_date(today, p50),
        p90=_date(today, p90),
        probability_on_time=_on_time(days, today, end_date),
    )


def _finishing_days(goal_id: UUID, sample: Sequence[float], remaining: float) -> numpy.ndarray:
    """Days each simulated future needs (HORIZON_DAYS + 1 for those that never finish).

    Every future walks one day drawn from the sample per day from tomorrow: blocks of days are
    drawn for all open futures at once (`_draw_days`) and searched for the day each one
    reaches the remaining distance (`_first_reach`). Most of those days fall long before any
    future can finish. For a distant finish every future first jumps `lead` days at once: the
    days drawn from a k-day sample in n draws are counted by a multinomial(n, 1/k each), and
    the distance walked is those counts times the sample's days, the same law as n single
    draws. `lead` stops about four standard deviations short of the mean finish, so hardly any
    future finishes inside it; one that does is replayed in a random order of its drawn days
    (given the counts, every order is equally likely), which finds its finishing day exactly.
    The jump costs about as much as _DIRECT_LEAD_DAYS single draws per future, so a nearer
    finish draws its days one by one from day 1 instead, its first block covering the lead
    too. After the lead the blocks are about as wide as the spread of the finishes."""
    import numpy as np

    values = np.asarray(sample, dtype=np.float64)
    rng = np.random.default_rng(goal_id.int)
    mean, spread = float(values.mean()), float(values.std())
    lead = min(_lead_days(remaining, mean, spread), HORIZON_DAYS)
    block = min(max(16, math.ceil(8 * spread * math.sqrt(max(lead, 1)) / mean)), _CHUNK_DAYS)
    finished = np.full(SIMULATIONS, HORIZON_DAYS + 1, dtype=np.int64)
    if lead > _DIRECT_LEAD_DAYS:
        counts = rng.multinomial(lead, np.full(values.size, 1 / values.size), size=SIMULATIONS)
        walked = counts @ values
        for i in np.flatnonzero(walked >= remaining):
            path = np.cumsum(rng.permutation(np.repeat(values, counts[i])))
            finished[i] = int((path >= remaining).argmax()) + 1
        elapsed, chunk = lead, block
    else:
        walked = np.zeros(SIMULATIONS)
        elapsed, chunk = 0, min(lead + block, _CHUNK_DAYS)
    open_ = walked < remaining
    while elapsed < HORIZON_DAYS and open_.any():
        idx = np.flatnonzero(open_)
        days = _draw_days(rng, values, idx.size, min(chunk, HORIZON_DAYS - elapsed))
        hit, day, total = _first_reach(days, remaining - walked[idx])
        finished[idx[hit]] = elapsed + day
        walked[idx] += total
        open_[idx[hit]] = False
        elapsed += days.shape[1]
        chunk = block
    # The last block may run past the horizon: a future that needs longer never finishes.
    return np.minimum(finished, HORIZON_DAYS + 1)


def _draw_days(
    rng: numpy.random.Generator, values: numpy.ndarray, futures: int, days: int
) -> numpy.ndarray:
    """`futures` x `days` (rounded up to whole sub-blocks) days drawn from the sample.

    A short sample's day indexes come from the generator's raw bits, a byte each: a byte below
    the largest multiple of the sample's size that fits in a byte is uniform modulo that size,
    and the bytes above it are drawn again (rejection, so the law is exactly uniform). That is a
    fraction of the cost of `integers`, which makes every bounded byte on its own."""
    import numpy as np

    width = -(-days // _SUB_DAYS) * _SUB_DAYS
    size = values.size
    if size > 256:
        return values[rng.integers(0, size, size=(futures, width))]
    picks = _raw_bytes(rng, futures * width)
    limit = 256 - 256 % size
    if limit < 256:
        redo = np.flatnonzero(picks >= limit)
        while redo.size:
            picks[redo] = _raw_bytes(rng, redo.size)
            redo = redo[picks[redo] >= limit]
    # byte -> its sample day: one lookup instead of a modulo and a lookup
    table = values[np.arange(256) % size]
    return table[picks].reshape(futures, width)


def _raw_bytes(rng: numpy.random.Generator, count: int) -> numpy.ndarray:
    """`count` uniform random bytes (default_rng's PCG64 gives 64 random bits per output)."""
    import numpy as np

    raw = rng.bit_generator.random_raw(-(-count // 8))
    return np.asarray(raw, dtype=np.uint64).view(np.uint8)[:count]


def _first_reach(
    days: numpy.ndarray, need: numpy.ndarray
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Which rows of `days` reach `need` (their row's distance) within the block, on which
    day (1-based) they first do, and each row's total. The running total only grows (no day is
    negative), so it is summed per sub-block of _SUB_DAYS days first and walked day by day only
    inside the sub-block where it crosses `need`: a few sums per day instead of a running
    total, a comparison and a search over every day of the block."""
    import numpy as np

    subs = days.reshape(days.shape[0], -1, _SUB_DAYS)
    # a product with ones sums the sub-blocks several times faster than .sum(axis=2)
    reach = np.cumsum(subs @ np.ones(_SUB_DAYS), axis=1)
    hit = reach[:, -1] >= need
    rows = np.flatnonzero(hit)
    left = need[rows, None]
    sub = (reach[rows] < left).sum(axis=1)
    before = np.where(sub > 0, reach[rows, sub - 1], 0.0)
    within = before[:, None] + np.cumsum(subs[rows, sub], axis=1)
    # Summed in another order, the sub-block's last total can round below `need`: it is still
    # reached there, as the per-sub-block totals say.
    day = np.minimum((within < left).sum(axis=1), _SUB_DAYS - 1)
    return hit, sub * _SUB_DAYS + day + 1, reach[:, -1]


def _lead_days(remaining: float, mean: float, spread: float) -> int:
    """The largest n with n * mean + 4 * spread * sqrt(n) <= remaining, less one (float edge):
    the days after which a future rarely has finished yet."""
    root = (-4 * spread + math.sqrt(16 * spread * spread + 4 * mean * remaining)) / (2 * mean)
    return max(math.floor(root * root) - 1, 0)


def _sorted(days: numpy.ndarray) -> numpy.ndarray:
    ordered = days.copy()
    ordered.sort()
    return ordered


def _percentile(ordered: numpy.ndarray, q: float) -> int:
    """Nearest-rank percentile: the smallest day count at least `q` of the futures reach."""
    return int(ordered[max(math.ceil(q * len(ordered)) - 1, 0)])


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
