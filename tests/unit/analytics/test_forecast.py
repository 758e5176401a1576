"""The completion forecast (docs/analytics.md): a seeded resampling of the daily sample."""

from __future__ import annotations

import math
import uuid
from datetime import date, timedelta

from milequest.domain.forecast import forecast

GOAL = uuid.UUID("00000000-0000-4000-8000-000000000015")
TODAY = date(2026, 3, 11)


def run(sample, remaining, end=TODAY + timedelta(days=30), goal=GOAL, **kw):
    return forecast(
        goal_id=goal, sample=sample, remaining=remaining, today=TODAY, end_date=end, **kw
    )


def test_constant_pace_gives_the_straight_line_date_at_every_percentile():
    # Given 5 km every day for 28 days and 52 km to go
    f = run([5000.0] * 28, 52_000.0)
    # Then every future needs ceil(52 / 5) = 11 days
    straight = TODAY + timedelta(days=math.ceil(52_000 / 5000))
    assert f is not None
    assert f.p10 == f.p50 == f.p90 == straight
    assert f.probability_on_time == 1.0


def test_fewer_than_three_active_days_gives_no_forecast():
    assert run([0.0] * 28, 10_000.0) is None
    assert run([0.0] * 26 + [4000.0, 6000.0], 10_000.0) is None
    assert run([0.0] * 25 + [4000.0, 6000.0, 1.0], 10_000.0) is not None


def test_zero_days_slow_the_forecast_and_spread_it():
    # Given a team that walks 10 km on one day in four
    f = run([10_000.0, 0.0, 0.0, 0.0] * 7, 100_000.0, end=TODAY + timedelta(days=40))
    assert f is not None and f.p10 is not None and f.p90 is not None
    # Then the median is near the 40 days the mean pace implies, with a real spread
    assert f.p10 < f.p50 < f.p90  # type: ignore[operator]
    assert abs((f.p50 - TODAY).days - 40) <= 6  # type: ignore[operator]
    assert 0.2 < f.probability_on_time < 0.8  # type: ignore[operator]


def test_already_past_the_target_is_certain():
    done = TODAY - timedelta(days=2)
    f = run([], 0.0, completed_on=done)
    assert f is not None
    assert (f.p10, f.p50, f.p90, f.probability_on_time) == (done, done, done, 1.0)
    # Reached after the end date: certain, but not on time
    late = run([], -5.0, end=done - timedelta(days=1), completed_on=done)
    assert late is not None and late.probability_on_time == 0.0


def test_same_data_same_answer_and_the_goal_id_is_the_seed():
    sample = [0.0, 3000.0, 8000.0, 0.0, 12_000.0, 1000.0, 0.0] * 4
    first, again = run(sample, 90_000.0), run(sample, 90_000.0)
    assert first == again
    others = [run(sample, 90_000.0, goal=uuid.uuid4()) for _ in range(5)]
    assert len({(o.p10, o.p50, o.p90, o.probability_on_time) for o in others if o}) > 1


def test_past_end_date_has_no_chance_and_no_end_date_no_probability():
    sample = [5000.0] * 28
    assert run(sample, 50_000.0, end=TODAY).probability_on_time == 0.0  # type: ignore[union-attr]
    assert run(sample, 50_000.0, end=None).probability_on_time is None  # type: ignore[union-attr]


def test_beyond_a_century_there_is_no_date():
    # 1 m on 3 days out of 28 and 50 000 km to go
    f = run([1.0, 1.0, 1.0] + [0.0] * 25, 50_000_000.0)
    assert f is not None
    assert (f.p10, f.p50, f.p90) == (None, None, None)
    assert f.probability_on_time == 0.0


def test_a_kept_forecast_is_the_one_a_fresh_simulation_gives_and_callers_cannot_change_it():
    from milequest.domain.forecast import _simulated

    sample = [3000.0, 0.0, 7000.0, 4500.0] * 7
    _simulated.cache_clear()
    fresh = run(sample, 90_000.0)
    assert fresh is not None
    kept = run(sample, 90_000.0)
    assert kept == fresh and _simulated.cache_info().hits == 1
    # A caller that changes its copy changes nothing for the next one.
    kept.p50 = None
    assert run(sample, 90_000.0) == fresh
    # Other inputs are simulated anew: a team that walked on, the next day, a list or a tuple.
    assert run(sample, 80_000.0) != fresh
    assert run(tuple(sample), 90_000.0) == fresh
    _simulated.cache_clear()
    assert run(sample, 90_000.0) == fresh
