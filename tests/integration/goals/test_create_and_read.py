from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.goals.conftest import (
    COIMBRA,
    LISBON,
    PORTO,
    add_activity,
    create_goal,
    goal_body,
    in_days,
)
from tests.support.api import call


def test_member_creates_a_draft_goal_routed_lisbon_to_porto(team, db) -> None:
    goal = create_goal(team, user=team.member)
    assert goal["status"] == "DRAFT"
    assert goal["targetDistance"] == pytest.approx(274_000, rel=0.01)
    assert goal["route"]["segments"][0]["cumulativeDistance"] == pytest.approx(
        goal["targetDistance"], abs=0.001
    )
    assert goal["route"]["bounds"]["north"] == pytest.approx(41.1579)
    assert goal["route"]["encodedPolyline"]
    assert goal["startLocation"] == LISBON and goal["waypoints"] == []
    assert goal["progress"] is None
    row = db.execute(
        "SELECT ST_NPoints(route_geom::geometry), created_by FROM team_goals WHERE id = %s",
        (goal["id"],),
    ).fetchone()
    assert row[0] > 2 and str(row[1]) == str(team.member.id)


def test_target_distance_given_overrides_route_length(team) -> None:
    goal = create_goal(team, targetDistance=100_000)
    assert goal["targetDistance"] == 100_000


def test_creating_notifies_the_other_members(team, db) -> None:
    goal = create_goal(team)
    rows = db.execute(
        "SELECT user_id FROM notifications "
        "WHERE category = 'GOAL_CREATED' AND data->>'goalId' = %s",
        (goal["id"],),
    ).fetchall()
    assert [str(r[0]) for r in rows] == [str(team.member.id)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"startLocation": {"lat": 91, "lng": 0}}, "startLocation"),
        ({"endLocation": {"lat": 0, "lng": -180.5}}, "endLocation"),
        ({"waypoints": [{"lat": 1, "lng": 1}] * 21}, "waypoints"),
        ({"endDate": "2020-01-01T00:00:00Z", "startDate": "2021-01-01T00:00:00Z"}, "endDate"),
        ({"waypoints": [COIMBRA, COIMBRA]}, "waypoints[1]"),
        ({"status": "COMPLETED"}, "status"),
    ],
)
def test_invalid_goals_are_rejected(team, overrides, field) -> None:
    r = call("POST", f"/teams/{team.id}/goals", user=team.admin, json_body=goal_body(**overrides))
    assert r.status == 400, r.body
    assert r.code == "VALIDATION_ERROR"


def test_nan_coordinates_are_rejected(team) -> None:
    raw = (
        b'{"name": "x", "startLocation": {"lat": NaN, "lng": 0}, '
        b'"endLocation": {"lat": 1, "lng": 1}, "endDate": "2099-01-01T00:00:00Z"}'
    )
    r = call("POST", f"/teams/{team.id}/goals", user=team.admin, raw_body=raw)
    assert r.status == 400


def test_route_over_50000_km_is_rejected(team) -> None:
    around = [{"lat": 0, "lng": lng} for lng in (90, 179, -90, -1, 90, 179, -90)]
    r = call(
        "POST",
        f"/teams/{team.id}/goals",
        user=team.admin,
        json_body=goal_body(
            startLocation={"lat": 0, "lng": 0}, waypoints=around, endLocation={"lat": 0, "lng": 1}
        ),
    )
    assert r.status == 400 and r.code == "VALIDATION_ERROR"


def test_non_members_cannot_create_or_read(team, make_user, make_team) -> None:
    stranger = make_user("Stranger")
    r = call("POST", f"/teams/{team.id}/goals", user=stranger, json_body=goal_body())
    assert r.status == 404  # private team: not disclosed
    public = make_team(public=True)
    r = call("POST", f"/teams/{public.id}/goals", user=stranger, json_body=goal_body())
    assert r.status == 403
    assert call("GET", f"/teams/{public.id}/goals", user=stranger).status == 403


def test_active_goal_backfills_progress_from_activities_in_its_window(team, db) -> None:
    now = datetime.now(UTC)
    add_activity(db, team.member, 5000, now - timedelta(days=2))
    add_activity(db, team.admin, 3000, now - timedelta(days=1))
    add_activity(db, team.admin, 7000, now - timedelta(days=20))  # before the window
    goal = create_goal(team, status="ACTIVE", startDate=(now - timedelta(days=3)).isoformat())
    assert goal["status"] == "ACTIVE"
    assert goal["progress"]["totalDistance"] == 8000
    assert goal["progress"]["totalActivities"] == 2
    row = db.execute(
        "SELECT total_distance, total_activities FROM team_progress WHERE goal_id = %s",
        (goal["id"],),
    ).fetchone()
    assert (float(row[0]), row[1]) == (8000.0, 2)

    active = call("GET", f"/teams/{team.id}/goals/active", user=team.member).data
    assert active["id"] == goal["id"] and active["progress"]["percentComplete"] > 0


def test_second_active_goal_is_goal_active(team) -> None:
    create_goal(team, status="ACTIVE")
    r = call(
        "POST", f"/teams/{team.id}/goals", user=team.admin, json_body=goal_body(status="ACTIVE")
    )
    assert r.status == 409 and r.code == "GOAL_ACTIVE"
    assert create_goal(team)["status"] == "DRAFT"  # drafts are unlimited


def test_no_active_goal_is_404(team) -> None:
    create_goal(team)
    r = call("GET", f"/teams/{team.id}/goals/active", user=team.admin)
    assert r.status == 404


def test_list_is_newest_first_and_get_returns_the_route(team) -> None:
    first = create_goal(team)
    second = create_goal(team, waypoints=[COIMBRA])
    items = call("GET", f"/teams/{team.id}/goals", user=team.member).data
    assert [g["id"] for g in items] == [second["id"], first["id"]]
    got = call("GET", f"/teams/{team.id}/goals/{second['id']}", user=team.member).data
    assert len(got["route"]["segments"]) == 2
    assert got["waypoints"] == [{**COIMBRA, "address": None}]
    other = call(
        "GET", f"/teams/{team.id}/goals/00000000-0000-0000-0000-000000000001", user=team.member
    )
    assert other.status == 404


def test_validate_route_previews_without_writing(team, make_user, db) -> None:
    user = make_user("Previewer")
    before = db.execute("SELECT count(*) FROM team_goals").fetchone()[0]
    r = call(
        "POST",
        "/goals/validate-route",
        user=user,
        json_body={"startLocation": LISBON, "endLocation": PORTO, "waypoints": [COIMBRA]},
    )
    data = r.data
    assert data["totalDistance"] == pytest.approx(
        data["segments"][0]["distance"] + data["segments"][1]["distance"], abs=0.01
    )
    assert set(data["bounds"]) == {"north", "south", "east", "west"}
    assert db.execute("SELECT count(*) FROM team_goals").fetchone()[0] == before
    assert (
        call(
            "POST",
            "/goals/validate-route",
            user=None,
            json_body={"startLocation": LISBON, "endLocation": PORTO},
        ).status
        == 401
    )


def test_end_date_must_be_in_the_future_for_active_goals(team) -> None:
    r = call(
        "POST",
        f"/teams/{team.id}/goals",
        user=team.admin,
        json_body=goal_body(status="ACTIVE", startDate=in_days(-10), endDate=in_days(-1)),
    )
    assert r.status == 400


class _FailingProvider:
    def route(self, points):
        from milequest.domain.errors import RouteError

        raise RouteError("No route was found between these points")


def test_provider_errors_are_422_route_error(team, monkeypatch) -> None:
    import functions.goals.goals as goals_routes

    monkeypatch.setattr(goals_routes, "route_provider", lambda: _FailingProvider())
    r = call(
        "POST",
        "/goals/validate-route",
        user=team.admin,
        json_body={"startLocation": LISBON, "endLocation": PORTO},
    )
    assert r.status == 422 and r.code == "ROUTE_ERROR"
    r = call("POST", f"/teams/{team.id}/goals", user=team.admin, json_body=goal_body())
    assert r.status == 422 and r.code == "ROUTE_ERROR"
