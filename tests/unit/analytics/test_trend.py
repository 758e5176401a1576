"""Team analytics trend and week-on-week change (docs/analytics.md)."""

from __future__ import annotations

from milequest.domain.team_analytics import change_percent, trend


def test_trend_is_the_least_squares_slope_against_five_percent_of_the_mean():
    assert trend([10.0, 20.0, 30.0, 40.0]) == "increasing"
    assert trend([40.0, 30.0, 20.0, 10.0]) == "decreasing"
    # slope 1 per week on a mean of 100: 1 % < 5 %
    assert trend([99.0, 100.0, 101.0]) == "stable"
    assert trend([0.0, 0.0, 0.0]) == "stable"
    assert trend([50.0]) == "stable"
    assert trend([]) == "stable"


def test_change_percent_compares_the_last_week_with_the_one_before():
    assert change_percent([10.0, 20.0, 30.0]) == 50.0
    assert change_percent([30.0, 15.0]) == -50.0
    assert change_percent([5.0, 0.0, 8.0]) is None  # the week before was 0
    assert change_percent([8.0]) is None
