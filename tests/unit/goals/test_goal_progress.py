from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from milequest.domain.goal_progress import compute_progress, position_along
from milequest.geo import LatLng
from milequest.geo.great_circle import GreatCircleProvider, leg_distance

LISBON, COIMBRA, PORTO = (
    LatLng(38.7223, -9.1393),
    LatLng(40.2033, -8.4103),
    LatLng(41.1579, -8.6291),
)
ROUTE = GreatCircleProvider().route([LISBON, COIMBRA, PORTO])
DATA = ROUTE.to_data()
LEG1 = ROUTE.segments[0].distance
LEG2 = ROUTE.segments[1].distance
TOTAL = ROUTE.total_distance
START = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 3, 31, tzinfo=UTC)
NOW = datetime(2026, 3, 11, tzinfo=UTC)  # 10 days in, 20 days left


# The goal every test walks: the route above, over March.
GOAL = {"route_data": DATA, "start_date": START, "end_date": END}


def progress(
    total: float, *, target: float | None = None, trailing: float = 0.0, now=NOW, last=None
):
    walked = {"total_distance": total, "target_distance": TOTAL if target is None else target}
    return compute_progress(
        **GOAL, **walked, now=now, trailing_distance=trailing, last_activity_at=last
    )


def test_zero_progress_is_at_the_start() -> None:
    p = progress(0)
    assert p.percent_complete == 0
    assert p.remaining_distance == pytest.approx(TOTAL, abs=0.001)
    assert p.current_segment_index == 0
    assert p.distance_to_next_waypoint == pytest.approx(LEG1, abs=0.001)
    assert (p.current_position.lat, p.current_position.lng) == pytest.approx(
        (LISBON.lat, LISBON.lng)
    )
    assert p.average_daily_distance == 0
    assert p.projected_completion_date is None  # no pace
    assert p.on_track is False
    assert p.days_remaining == 20
    assert p.required_daily_distance == pytest.approx(TOTAL / 20, abs=0.001)


def test_mid_segment_position_is_on_the_geodesic() -> None:
    p = progress(LEG1 / 2)
    assert p.current_segment_index == 0
    assert p.distance_to_next_waypoint == pytest.approx(LEG1 / 2, abs=0.01)
    here = LatLng(p.current_position.lat, p.current_position.lng)
    assert leg_distance(LISBON, here) == pytest.approx(LEG1 / 2, rel=1e-6)
    assert leg_distance(here, COIMBRA) == pytest.approx(LEG1 / 2, rel=1e-6)
    assert p.percent_complete == pytest.approx(LEG1 / 2 / TOTAL * 100, abs=0.01)


def test_exactly_on_a_waypoint_starts_the_next_segment() -> None:
    p = progress(LEG1)
    assert p.current_segment_index == 1
    assert p.distance_to_next_waypoint == pytest.approx(LEG2, abs=0.01)
    assert (p.current_position.lat, p.current_position.lng) == pytest.approx(
        (COIMBRA.lat, COIMBRA.lng), abs=1e-7
    )


@pytest.mark.parametrize("total", [TOTAL, TOTAL * 1.5])
def test_at_and_beyond_100_percent_is_at_the_end(total: float) -> None:
    last = datetime(2026, 3, 10, 18, tzinfo=UTC)
    p = progress(total, last=last)
    assert p.percent_complete == 100
    assert p.remaining_distance == 0
    assert p.current_segment_index == 1
    assert p.distance_to_next_waypoint == 0
    assert (p.current_position.lat, p.current_position.lng) == (PORTO.lat, PORTO.lng)
    assert p.required_daily_distance == 0
    assert p.on_track is True
    assert p.projected_completion_date == date(2026, 3, 10)


def test_pace_projection_and_on_track() -> None:
    # 10 days in, all of the distance in the trailing window (10 days of it): pace = d / 10.
    walked = TOTAL * 0.4
    p = progress(walked, trailing=walked)
    assert p.average_daily_distance == pytest.approx(walked / 10, abs=0.001)
    days_needed = (TOTAL - walked) / (walked / 10)  # 15 days
    assert p.projected_completion_date == (NOW + timedelta(days=days_needed)).date()
    assert p.on_track is True
    slow = progress(walked, trailing=walked / 4)
    assert slow.on_track is False
    assert slow.required_daily_distance == pytest.approx((TOTAL - walked) / 20, abs=0.001)


def test_trailing_pace_uses_fourteen_days_once_the_goal_is_older() -> None:
    later = datetime(2026, 3, 21, tzinfo=UTC)  # 20 days in
    p = progress(TOTAL / 2, trailing=14_000, now=later)
    assert p.projected_completion_date == (later + timedelta(days=(TOTAL / 2) / 1000)).date()


def test_after_the_end_date_unfinished_goals_are_not_on_track() -> None:
    p = progress(TOTAL / 2, trailing=TOTAL, now=END + timedelta(days=1))
    assert p.days_remaining == 0
    assert p.on_track is False
    assert p.average_daily_distance == pytest.approx(TOTAL / 2 / 30, abs=0.001)


def test_target_shorter_than_route_maps_progress_proportionally() -> None:
    p = progress(TOTAL / 4, target=TOTAL / 2)
    assert p.percent_complete == 50
    here = LatLng(p.current_position.lat, p.current_position.lng)
    # half-way along the route (which is beyond Coimbra? compare to the geometry instead)
    expected = position_along([LISBON, COIMBRA, PORTO], [LEG1, LEG2], TOTAL / 2).position
    assert (here.lat, here.lng) == pytest.approx((expected.lat, expected.lng))


def test_before_the_start_date_nothing_is_averaged() -> None:
    p = progress(0, now=START - timedelta(days=2))
    assert p.average_daily_distance == 0
    assert p.days_remaining == 32


def test_trend_compares_the_last_week_with_the_week_before() -> None:
    from milequest.domain.goal_progress import trend

    assert trend(last_week=15_000, last_two_weeks=25_000) == "increasing"  # 15 km vs 10 km
    assert trend(last_week=5_000, last_two_weeks=15_000) == "decreasing"  # 5 km vs 10 km
    assert trend(last_week=10_000, last_two_weeks=20_500) == "stable"  # within 10 %
    assert trend(last_week=0, last_two_weeks=0) == "stable"
