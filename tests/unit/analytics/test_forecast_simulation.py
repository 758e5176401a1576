"""The forecast's simulation (docs/analytics.md) has the law of plain day-by-day draws from the
sample, whether its days are drawn one by one from bytes or jumped with a multinomial, and its
search finds the first day each future covers the distance."""

from __future__ import annotations

import math
import uuid

import numpy as np
import pytest

from milequest.domain import forecast as F

# A sparse team: zero days, a few long ones.
SAMPLE = [0.0, 3000.0, 8000.0, 0.0, 12_000.0, 1000.0, 0.0, 4500.5, 0.0, 6000.0] * 2 + [
    0.0,
    2500.0,
    0.0,
    9000.0,
    700.0,
    0.0,
    15_000.0,
    3300.0,
]
GOALS = [uuid.UUID(int=i * 7919 + 11) for i in range(20)]


def _day_by_day(sample: list[float], remaining: float, futures: int) -> np.ndarray:
    """The reference: every future draws one sample day per day until it is there."""
    rng = np.random.default_rng(20_260_311)
    values = np.asarray(sample)
    walked, finished = np.zeros(futures), np.zeros(futures, dtype=np.int64)
    day, open_ = 0, np.ones(futures, dtype=bool)
    while open_.any():
        day += 1
        walked[open_] += values[rng.integers(0, values.size, open_.sum())]
        done = open_ & (walked >= remaining)
        finished[done], open_ = day, open_ & ~done
    return finished


def _nearest_rank(days: np.ndarray, q: float) -> int:
    ordered = np.sort(days)
    return int(ordered[max(math.ceil(q * ordered.size) - 1, 0)])


@pytest.mark.parametrize(
    ("days", "path"),
    [(12, "direct"), (120, "direct"), (1_300, "multinomial jump")],
)
def test_the_finishing_days_have_the_law_of_day_by_day_draws(days: int, path: str) -> None:
    remaining = float(np.mean(SAMPLE)) * days
    lead = F._lead_days(remaining, float(np.mean(SAMPLE)), float(np.std(SAMPLE)))
    assert (lead > F._DIRECT_LEAD_DAYS) == (path == "multinomial jump")
    simulated = np.concatenate([F._finishing_days(g, SAMPLE, remaining) for g in GOALS])
    reference = _day_by_day(SAMPLE, remaining, simulated.size)

    # 20,000 futures each: the means agree within 4 standard errors of their difference
    spread = float(np.std(reference))
    assert abs(simulated.mean() - reference.mean()) < 4 * spread * math.sqrt(2 / simulated.size)
    for q in (0.1, 0.5, 0.9):
        assert abs(_nearest_rank(simulated, q) - _nearest_rank(reference, q)) <= max(1, 0.01 * days)
    allowed = _nearest_rank(reference, 0.5)
    assert abs((simulated <= allowed).mean() - (reference <= allowed).mean()) < 0.02


@pytest.mark.parametrize("size", [28, 16, 300])
def test_drawn_days_are_uniform_over_the_sample(size: int) -> None:
    values = np.arange(size, dtype=np.float64) * 10
    drawn = F._draw_days(np.random.default_rng(5), values, 1000, 500)
    assert drawn.shape == (1000, 512)  # whole sub-blocks
    counts = np.bincount((drawn / 10).astype(np.int64).ravel(), minlength=size)
    assert counts.size == size  # only the sample's days
    expected = drawn.size / size
    assert np.abs(counts - expected).max() < 5 * math.sqrt(expected)


def test_the_search_finds_the_first_day_a_future_is_there() -> None:
    rng = np.random.default_rng(9)
    days = rng.choice([0.0, 0.5, 1.0, 2.75, 10.0], size=(2000, 96))
    need = rng.uniform(0.0, 400.0, 2000)
    hit, day, total = F._first_reach(days, need)
    running = np.cumsum(days, axis=1)
    reached = running >= need[:, None]
    assert (hit == reached.any(axis=1)).all() and hit.any() and not hit.all()
    assert (day == reached[hit].argmax(axis=1) + 1).all()
    assert np.allclose(total, running[:, -1])
