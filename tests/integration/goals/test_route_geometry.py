"""Great-circle routes agree with PostGIS geography measurements (WGS84 spheroid)."""

from __future__ import annotations

import pytest

from milequest.geo import LatLng
from milequest.geo.great_circle import GreatCircleProvider
from tests.integration.goals.conftest import COIMBRA, LISBON, PORTO, create_goal

TOLERANCE = 0.001  # 0.1 %


def _postgis_distance(db, a: dict, b: dict) -> float:
    return float(
        db.execute(
            "SELECT ST_Distance(ST_MakePoint(%s, %s)::geography, ST_MakePoint(%s, %s)::geography)",
            (a["lng"], a["lat"], b["lng"], b["lat"]),
        ).fetchone()[0]
    )


def test_lisbon_porto_matches_postgis_within_a_tenth_of_a_percent(db) -> None:
    route = GreatCircleProvider().route([LatLng(38.7223, -9.1393), LatLng(41.1579, -8.6291)])
    postgis = _postgis_distance(db, LISBON, PORTO)
    assert route.total_distance == pytest.approx(274_000, rel=0.01)
    assert abs(route.total_distance - postgis) / postgis < TOLERANCE


def test_stored_linestring_length_equals_the_route_and_the_sum_of_its_legs(team, db) -> None:
    goal = create_goal(team, waypoints=[COIMBRA])
    length = float(
        db.execute(
            "SELECT ST_Length(route_geom) FROM team_goals WHERE id = %s", (goal["id"],)
        ).fetchone()[0]
    )
    legs = _postgis_distance(db, LISBON, COIMBRA) + _postgis_distance(db, COIMBRA, PORTO)
    total = goal["route"]["segments"][-1]["cumulativeDistance"]
    assert abs(total - legs) / legs < TOLERANCE
    assert abs(length - total) / total < TOLERANCE
    assert goal["targetDistance"] == pytest.approx(total)


def test_long_routes_follow_the_geodesic_not_a_straight_line_in_degrees(db) -> None:
    a, b = LatLng(40.6413, -73.7781), LatLng(51.47, -0.4543)  # JFK → Heathrow
    route = GreatCircleProvider().route([a, b])
    length = float(
        db.execute("SELECT ST_Length(ST_GeogFromText(%s))", (route.wkt(),)).fetchone()[0]
    )
    direct = _postgis_distance(db, {"lat": a.lat, "lng": a.lng}, {"lat": b.lat, "lng": b.lng})
    assert abs(length - direct) / direct < TOLERANCE
    assert abs(route.total_distance - direct) / direct < TOLERANCE
    assert max(p.lat for p in route.path) > 52  # the great circle bends north
