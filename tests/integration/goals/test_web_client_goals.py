"""Goals as the Mile Quest web client makes them: no status (ACTIVE), `targetDate` for the end,
its waypoint shape, no deadline at all, the card fields, and giving up with FAILED."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.integration.goals.conftest import COIMBRA, LISBON, PORTO
from tests.support.api import call


def _post(team, body):
    return call("POST", f"/teams/{team.id}/goals", user=team.admin, json_body=body)


def _client_waypoints():
    return [
        {"id": "b", "position": {"lat": PORTO["lat"], "lng": PORTO["lng"]}, "address": "Porto",
         "order": 2, "isLocked": True},
        {"id": "m", "position": {"lat": COIMBRA["lat"], "lng": COIMBRA["lng"]}, "order": 1,
         "address": "Coimbra", "isLocked": False},
        {"id": "a", "position": {"lat": LISBON["lat"], "lng": LISBON["lng"]}, "order": 0,
         "isLocked": True, "address": "Lisbon"},
    ]  # fmt: skip


def test_the_wizards_goal_is_active_ends_on_its_target_date_and_keeps_the_middle_stop(team):
    day = (date.today() + timedelta(days=45)).isoformat()
    r = _post(team, {"name": "Coast", "description": "", "targetDate": day,
                     "startLocation": LISBON, "endLocation": PORTO,
                     "waypoints": _client_waypoints()})  # fmt: skip
    assert r.status == 201, r.body
    goal = r.data
    assert goal["status"] == "ACTIVE"
    assert [(w["lat"], w["lng"]) for w in goal["waypoints"]] == [(COIMBRA["lat"], COIMBRA["lng"])]
    assert goal["endDate"] == goal["targetDate"] and goal["targetDate"].startswith(day)
    assert goal["totalDistance"] == goal["targetDistance"] > 280_000
    assert goal["currentDistance"] == 0
    listed = call("GET", f"/teams/{team.id}/goals", user=team.member).data
    assert {"targetDate", "totalDistance", "currentDistance"} <= set(listed[0])


def test_target_date_as_a_datetime_and_both_dates_at_once(team):
    at = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0).isoformat()
    r = _post(team, {"name": "T", "startLocation": LISBON, "endLocation": PORTO,
                     "targetDate": at, "status": "DRAFT"})  # fmt: skip
    assert r.status == 201 and r.data["endDate"] == at.replace("+00:00", "Z")
    both = {"name": "T", "startLocation": LISBON, "endLocation": PORTO, "targetDate": at,
            "endDate": at, "status": "DRAFT"}  # fmt: skip
    assert _post(team, both).status == 400
    bad = {"name": "T", "startLocation": LISBON, "endLocation": PORTO, "status": "DRAFT",
           "waypoints": [{"position": {"lat": 91, "lng": 0}}]}  # fmt: skip
    assert _post(team, bad).status == 400


def test_a_goal_without_a_deadline_never_expires_and_has_no_dates_to_keep(team):
    r = _post(team, {"name": "Open road", "startLocation": LISBON, "endLocation": PORTO})
    assert r.status == 201, r.body
    goal = r.data
    assert goal["endDate"] is None and goal["targetDate"] is None
    walk = {"distance": 4000, "duration": 3000,
            "timestamp": (datetime.now(UTC) + timedelta(seconds=30)).isoformat()}  # fmt: skip
    assert call("POST", "/activities", user=team.member, json_body=walk).status == 201
    progress = call("GET", f"/teams/{team.id}/goals/{goal['id']}/progress", user=team.member).data
    assert progress["daysRemaining"] is None
    assert progress["requiredDailyDistance"] is None and progress["onTrack"] is None
    assert progress["totalDistance"] == 4000
    from functions.jobs import fail_expired_goals

    fail_expired_goals.handler({}, None)
    again = call("GET", f"/teams/{team.id}/goals/{goal['id']}", user=team.member).data
    assert again["status"] == "ACTIVE"


def test_an_admin_gives_up_with_failed_members_are_told_and_the_goal_freezes(team, db):
    goal = _post(team, {"name": "Too far", "startLocation": LISBON, "endLocation": PORTO}).data
    walk = {"distance": 3000, "duration": 2400,
            "timestamp": (datetime.now(UTC) + timedelta(seconds=30)).isoformat()}  # fmt: skip
    call("POST", "/activities", user=team.member, json_body=walk)
    path = f"/teams/{team.id}/goals/{goal['id']}"
    assert call("PUT", path, user=team.member, json_body={"status": "FAILED"}).status == 403
    r = call("PUT", path, user=team.admin, json_body={"status": "FAILED"})
    assert r.status == 200 and r.data["status"] == "FAILED"
    final = db.execute("SELECT final_stats FROM team_goals WHERE id = %s", (goal["id"],)).fetchone()
    assert final[0]["totalDistance"] == 3000
    told = db.execute(
        "SELECT count(*) FROM notifications WHERE team_id = %s AND category = 'GOAL_FAILED'",
        (team.id,),
    ).fetchone()
    assert told[0] == 2  # admin and member
    later = {**walk, "distance": 2000}
    assert call("POST", "/activities", user=team.member, json_body=later).status == 201
    assert call("GET", f"{path}/progress", user=team.member).data["totalDistance"] == 3000
    assert call("PUT", path, user=team.admin, json_body={"status": "ACTIVE"}).status == 409
