"""The product's core loop over HTTP against `make run`: sign up, form a team, pick a route,
walk, watch the team move — and `make seed` loading the demo data through the same API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.e2e.conftest import LocalApi

PASSWORD = "Walking1Far"


def _token(api: LocalApi, name: str) -> str:
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    status, _, body = api.request(
        "POST", "/auth/register", {"email": email, "password": PASSWORD, "name": name}
    )
    assert status == 201, body
    api.request("POST", "/auth/verify-email", {"email": email, "code": "123456"})
    status, _, body = api.request("POST", "/auth/login", {"email": email, "password": PASSWORD})
    assert status == 200, body
    return str(body["data"]["tokens"]["idToken"])


def test_team_walks_lisbon_to_porto(local_api: LocalApi) -> None:
    ana, ben = _token(local_api, "Ana"), _token(local_api, "Ben")
    now = datetime.now(UTC)

    status, _, body = local_api.request(
        "POST", "/teams", {"name": f"Coast Walkers {uuid.uuid4().hex[:6]}", "isPublic": True}, ana
    )
    assert status == 201, body
    team = body["data"]
    status, _, body = local_api.request(
        "POST", "/teams/join", {"inviteCode": team["inviteCode"]}, ben
    )
    assert status == 200, body

    status, _, body = local_api.request(
        "POST",
        f"/teams/{team['id']}/goals",
        {
            "name": "Lisbon to Porto",
            "startLocation": {"lat": 38.7223, "lng": -9.1393},
            "endLocation": {"lat": 41.1579, "lng": -8.6291},
            "startDate": (now - timedelta(hours=1)).isoformat(),
            "endDate": (now + timedelta(days=60)).isoformat(),
            "status": "ACTIVE",
        },
        ana,
    )
    assert status == 201, body
    goal = body["data"]
    assert 270_000 < goal["targetDistance"] < 280_000

    # (logged after joining: only walks while a member count for the team)
    walk = {"distance": 8000, "duration": 5400, "timestamp": datetime.now(UTC).isoformat()}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    status, _, body = local_api.request("POST", "/activities", walk, ben, headers=key)
    assert status == 201, body
    assert body["data"]["teamUpdates"][0]["newTotalDistance"] == 8000
    status, headers, replay = local_api.request("POST", "/activities", walk, ben, headers=key)
    assert (status, headers.get("Idempotent-Replayed")) == (201, "true")
    assert replay == body

    status, _, body = local_api.request(
        "GET", f"/teams/{team['id']}/goals/{goal['id']}/progress", token=ana
    )
    assert status == 200, body
    progress = body["data"]
    assert progress["totalDistance"] == 8000
    assert 2.8 < progress["percentComplete"] < 3.0
    assert 38.7 < progress["currentPosition"]["lat"] < 38.9

    status, _, body = local_api.request("GET", f"/teams/{team['id']}/activities", token=ana)
    assert status == 200
    assert [a["distance"] for a in body["data"]["items"]] == [8000]


def test_make_seed_loads_the_demo_data_through_the_api(local_api: LocalApi) -> None:
    token = local_api.seed_demo()
    status, _, body = local_api.request("GET", "/users/me/stats", token=token)
    assert status == 200
    assert body["data"]["totalActivities"] >= 10

    local_api.seed_demo()  # re-running is safe
