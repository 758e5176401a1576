from __future__ import annotations

import math

import polyline
import pytest

from milequest.geo import LatLng, provider_for
from milequest.geo.great_circle import GreatCircleProvider, leg_distance, point_along

LISBON = LatLng(38.7223, -9.1393)
PORTO = LatLng(41.1579, -8.6291)
MADRID = LatLng(40.4168, -3.7038)


def test_lisbon_to_porto_is_about_274_km() -> None:
    route = GreatCircleProvider().route([LISBON, PORTO])
    assert route.total_distance == pytest.approx(274_000, rel=0.01)
    assert len(route.segments) == 1
    assert route.segments[0].cumulative_distance == route.total_distance


def test_route_through_waypoints_is_the_sum_of_its_legs() -> None:
    route = GreatCircleProvider().route([LISBON, MADRID, PORTO])
    legs = [leg_distance(LISBON, MADRID), leg_distance(MADRID, PORTO)]
    assert [s.distance for s in route.segments] == pytest.approx(legs)
    assert [s.cumulative_distance for s in route.segments] == pytest.approx(
        [legs[0], legs[0] + legs[1]]
    )
    assert route.total_distance == pytest.approx(sum(legs))


def test_path_follows_the_geodesic_with_a_point_every_ten_km() -> None:
    route = GreatCircleProvider().route([LISBON, PORTO])
    assert route.path[0] == LISBON and route.path[-1] == PORTO
    assert len(route.path) == math.ceil(route.total_distance / 10_000) + 1
    steps = [leg_distance(a, b) for a, b in zip(route.path, route.path[1:], strict=False)]
    assert sum(steps) == pytest.approx(route.total_distance, rel=1e-9)
    assert max(steps) <= 10_000


def test_very_long_legs_are_capped_at_a_hundred_points() -> None:
    route = GreatCircleProvider().route([LatLng(0, 0), LatLng(0, 170)])
    assert len(route.path) == 101


def test_bounds_and_polyline_cover_the_path() -> None:
    route = GreatCircleProvider().route([LISBON, MADRID, PORTO])
    b = route.bounds
    assert b["south"] == pytest.approx(38.7223) and b["north"] == pytest.approx(41.1579)
    assert b["west"] == pytest.approx(-9.1393) and b["east"] == pytest.approx(-3.7038)
    decoded = polyline.decode(route.encoded_polyline)
    assert len(decoded) == len(route.path)
    assert decoded[0] == pytest.approx((38.7223, -9.1393), abs=1e-5)


def test_wkt_is_a_lng_lat_linestring() -> None:
    wkt = GreatCircleProvider().route([LISBON, PORTO]).wkt()
    assert wkt.startswith("SRID=4326;LINESTRING(-9.1393 38.7223, ")
    assert wkt.endswith("-8.6291 41.1579)")


def test_route_data_is_json_in_metres() -> None:
    data = GreatCircleProvider().route([LISBON, PORTO]).to_data()
    assert data["provider"] == "great-circle"
    assert set(data["segments"][0]) == {"distance", "cumulativeDistance"}
    assert data["waypoints"] == [{"lat": 38.7223, "lng": -9.1393}, {"lat": 41.1579, "lng": -8.6291}]


def test_point_along_interpolates_on_the_geodesic_and_clamps() -> None:
    total = leg_distance(LISBON, PORTO)
    half = point_along(LISBON, PORTO, total / 2)
    assert leg_distance(LISBON, half) == pytest.approx(total / 2, rel=1e-9)
    assert leg_distance(half, PORTO) == pytest.approx(total / 2, rel=1e-9)
    end = point_along(LISBON, PORTO, total * 2)
    assert (end.lat, end.lng) == pytest.approx((PORTO.lat, PORTO.lng))


def test_antimeridian_crossing_takes_the_short_way() -> None:
    route = GreatCircleProvider().route([LatLng(0, 179), LatLng(0, -179)])
    assert route.total_distance == pytest.approx(222_639, rel=1e-3)
    assert all(abs(p.lng) >= 179 for p in route.path)


def test_provider_for_accepts_both_spellings() -> None:
    assert isinstance(provider_for("great-circle"), GreatCircleProvider)
    assert isinstance(provider_for("great_circle"), GreatCircleProvider)
    with pytest.raises(ValueError):
        provider_for("carrier-pigeon")


def test_a_legs_geodesic_is_the_same_whichever_leg_was_asked_before() -> None:
    """Each leg's geodesic is solved once per process: every answer is still the one of its own
    endpoints and distance, in either direction, however the calls interleave."""
    from geographiclib.geodesic import Geodesic

    legs = [(LISBON, PORTO), (PORTO, LISBON), (LISBON, MADRID), (MADRID, PORTO)]
    for _ in range(2):
        for a, b in legs:
            exact = Geodesic.WGS84.Inverse(a.lat, a.lng, b.lat, b.lng)
            assert leg_distance(a, b) == exact["s12"]
            for metres in (0.0, 1_234.5, exact["s12"] / 2, exact["s12"] * 2):
                line = Geodesic.WGS84.InverseLine(a.lat, a.lng, b.lat, b.lng)
                pos = line.Position(min(metres, line.s13))
                assert point_along(a, b, metres) == LatLng(pos["lat2"], pos["lon2"])
