from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from milequest.domain.errors import RouteError
from milequest.geo import LatLng
from milequest.geo.amazon_location import AmazonLocationProvider

A, B, C = LatLng(38.7223, -9.1393), LatLng(40.4168, -3.7038), LatLng(41.1579, -8.6291)


def _client() -> Any:
    return boto3.client(
        "geo-routes",
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _leg(distance: int, line: list[list[float]], waypoint_index: int | None = None) -> dict:
    arrival: dict[str, Any] = {"Position": line[-1]}
    if waypoint_index is not None:
        arrival["WaypointIndex"] = waypoint_index
    return {
        "TravelMode": "Pedestrian",
        "Type": "Pedestrian",
        "Geometry": {"LineString": line},
        "PedestrianLegDetails": {
            "Arrival": {"Place": arrival},
            "Departure": {"Place": {"Position": line[0]}},
            "Summary": {"Overview": {"Distance": distance, "Duration": 1}},
            "TravelSteps": [],
            "AfterTravelSteps": [],
            "Notices": [],
            "PassThroughWaypoints": [],
            "Spans": [],
        },
    }


def _response(legs: list[dict]) -> dict:
    return {
        "LegGeometryFormat": "Simple",
        "Notices": [],
        "PricingBucket": "Core",
        "Routes": [
            {
                "Legs": legs,
                "MajorRoadLabels": [],
                "Summary": {"Distance": sum(_d(leg) for leg in legs), "Duration": 1},
            }
        ],
    }


def _d(leg: dict) -> int:
    return int(leg["PedestrianLegDetails"]["Summary"]["Overview"]["Distance"])


def test_legs_become_segments_with_cumulative_distances() -> None:
    client = _client()
    legs = [
        _leg(500_000, [[-9.1393, 38.7223], [-6.0, 39.5], [-3.7038, 40.4168]], waypoint_index=0),
        _leg(480_000, [[-3.7038, 40.4168], [-6.0, 41.0], [-8.6291, 41.1579]]),
    ]
    with Stubber(client) as stub:
        stub.add_response(
            "calculate_routes",
            _response(legs),
            {
                "Origin": [-9.1393, 38.7223],
                "Destination": [-8.6291, 41.1579],
                "Waypoints": [{"Position": [-3.7038, 40.4168]}],
                "TravelMode": "Pedestrian",
                "LegGeometryFormat": "Simple",
            },
        )
        route = AmazonLocationProvider(client).route([A, B, C])
        stub.assert_no_pending_responses()
    assert [s.distance for s in route.segments] == [500_000, 480_000]
    assert [s.cumulative_distance for s in route.segments] == [500_000, 980_000]
    assert route.total_distance == 980_000
    assert len(route.path) == 5  # the shared point between legs is not repeated
    assert route.provider == "amazon-location"


def test_a_ferry_split_leg_is_summed_into_one_segment() -> None:
    client = _client()
    ferry = _leg(10_000, [[-8.9, 39.0], [-8.7, 41.0]])
    ferry["FerryLegDetails"] = ferry.pop("PedestrianLegDetails")
    ferry["FerryLegDetails"]["BeforeTravelSteps"] = []
    ferry["Type"] = ferry["TravelMode"] = "Ferry"
    legs = [_leg(20_000, [[-9.1393, 38.7223], [-8.9, 39.0]]), ferry]
    with Stubber(client) as stub:
        stub.add_response("calculate_routes", _response_raw(legs))
        route = AmazonLocationProvider(client).route([A, C])
    assert [s.distance for s in route.segments] == [30_000]


def _response_raw(legs: list[dict]) -> dict:
    return {
        "LegGeometryFormat": "Simple",
        "Notices": [],
        "PricingBucket": "Core",
        "Routes": [{"Legs": legs, "MajorRoadLabels": [], "Summary": {"Distance": 1}}],
    }


def test_client_errors_become_route_errors() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_client_error(
            "calculate_routes", service_error_code="ValidationException", service_message="nope"
        )
        with pytest.raises(RouteError, match="nope"):
            AmazonLocationProvider(client).route([A, C])


def test_no_route_found_is_a_route_error() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_response(
            "calculate_routes",
            {"LegGeometryFormat": "Simple", "Notices": [], "PricingBucket": "Core", "Routes": []},
        )
        with pytest.raises(RouteError):
            AmazonLocationProvider(client).route([A, C])


def test_legs_not_matching_waypoints_are_a_route_error() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_response("calculate_routes", _response([_leg(1, [[-9.1, 38.7], [-8.6, 41.1]])]))
        with pytest.raises(RouteError):
            AmazonLocationProvider(client).route([A, B, C])


def test_provider_for_amazon_location_uses_a_geo_routes_client(monkeypatch) -> None:
    from milequest.geo import provider_for

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    provider = provider_for("amazon-location", region="eu-west-1")
    assert isinstance(provider, AmazonLocationProvider)
    assert provider._client.meta.service_model.service_name == "geo-routes"


def _location_client() -> Any:
    return boto3.client(
        "location", region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t"
    )


def _calc_leg(km: float, line: list[list[float]]) -> dict:
    return {
        "StartPosition": line[0],
        "EndPosition": line[-1],
        "Distance": km,
        "DurationSeconds": 1.0,
        "Geometry": {"LineString": line},
        "Steps": [],
    }


def test_route_calculator_legs_are_kilometres_converted_to_metres() -> None:
    from milequest.geo.amazon_location import LocationCalculatorProvider

    client = _location_client()
    legs = [
        _calc_leg(210.5, [[-9.1393, 38.7223], [-8.4103, 40.2033]]),
        _calc_leg(120.25, [[-8.4103, 40.2033], [-8.6291, 41.1579]]),
    ]
    response = {
        "Legs": legs,
        "Summary": {
            "RouteBBox": [-9.1393, 38.7223, -8.4103, 41.1579],
            "DataSource": "Esri",
            "Distance": 330.75,
            "DurationSeconds": 2.0,
            "DistanceUnit": "Kilometers",
        },
    }
    with Stubber(client) as stub:
        stub.add_response(
            "calculate_route",
            response,
            {
                "CalculatorName": "walks",
                "DeparturePosition": [-9.1393, 38.7223],
                "DestinationPosition": [-8.6291, 41.1579],
                "WaypointPositions": [[-8.4103, 40.2033]],
                "TravelMode": "Walking",
                "DistanceUnit": "Kilometers",
                "IncludeLegGeometry": True,
            },
        )
        route = LocationCalculatorProvider(client, "walks").route([A, LatLng(40.2033, -8.4103), C])
    assert [s.distance for s in route.segments] == [210_500, 120_250]
    assert route.total_distance == 330_750
    assert len(route.path) == 3


def test_route_calculator_errors_become_route_errors() -> None:
    from milequest.geo.amazon_location import LocationCalculatorProvider

    client = _location_client()
    with Stubber(client) as stub:
        stub.add_client_error("calculate_route", service_error_code="ResourceNotFoundException")
        with pytest.raises(RouteError):
            LocationCalculatorProvider(client, "missing").route([A, C])
