"""The Mile Quest web client's journey, request by request as it makes them (docs/api.md): auth
answers read raw (no unwrapping), everything else unwrapped from `data`, the access token as
the bearer, no Idempotency-Key ever, logout with neither token nor body."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.e2e.conftest import LocalApi

PASSWORD = "Walking1Far"


def _unwrap(body: Any) -> Any:
    """What the client does with every non-auth answer."""
    if isinstance(body, dict) and "success" in body and "data" in body:
        return body["data"]
    return body


class Client:
    def __init__(self, api: LocalApi) -> None:
        self.api = api
        self.tokens: dict[str, str] = {}
        self.user: dict[str, Any] = {}

    def auth(self, path: str, body: Any = None) -> tuple[int, Any]:
        status, _, raw = self.api.request("POST", path, body)
        return status, raw

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        status, _, raw = self.api.request(method, path, body, self.tokens.get("accessToken"))
        return status, _unwrap(raw)

    def sign_up(self, name: str) -> None:
        email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
        assert self.auth("/auth/register", {"email": email, "password": PASSWORD, "name": name})[
            0
        ] in (200, 201)
        self.auth("/auth/verify-email", {"email": email, "code": "123456"})
        status, raw = self.auth("/auth/login", {"email": email, "password": PASSWORD})
        assert status == 200, raw
        # The client reads user and tokens at the top level of the raw answer.
        self.user, self.tokens = raw["user"], raw["tokens"]
        assert self.tokens["accessToken"] and self.user["email"] == email


def test_the_web_clients_journey(local_api: LocalApi) -> None:
    ana, ben = Client(local_api), Client(local_api)
    ana.sign_up("Ana")
    ben.sign_up("Ben")

    # Create a team the way the client does, then read it and find myself by email.
    status, team = ana.call(
        "POST",
        "/teams",
        {"name": f"Web {uuid.uuid4().hex[:6]}", "description": "", "isPublic": True},
    )
    assert status == 201 and team["id"]
    status, detail = ana.call("GET", f"/teams/{team['id']}")
    me = next(m for m in detail["members"] if m["user"].get("email") == ana.user["email"])
    assert me["role"] == "ADMIN" and detail["memberCount"] == 1

    # The second user joins by code; the answer's id is the team.
    status, joined = ben.call("POST", "/teams/join", {"inviteCode": team["inviteCode"]})
    assert status == 200 and joined["id"] == team["id"]
    status, mine = ben.call("GET", "/users/me/teams")
    assert [t["id"] for t in mine] == [team["id"]] and mine[0]["role"] == "MEMBER"

    # The goal wizard: targetDate, a middle stop in the client's waypoint shape, no status.
    start = {"lat": 38.7223, "lng": -9.1393, "address": "Lisbon"}
    end = {"lat": 41.1579, "lng": -8.6291, "address": "Porto"}
    middle = {"lat": 40.2033, "lng": -8.4103}
    waypoints = [
        {"id": "s", "position": {"lat": start["lat"], "lng": start["lng"]}, "address": "Lisbon",
         "order": 0, "isLocked": True},
        {"id": "m", "position": middle, "address": "Coimbra", "order": 1, "isLocked": False},
        {"id": "e", "position": {"lat": end["lat"], "lng": end["lng"]}, "address": "Porto",
         "order": 2, "isLocked": True},
    ]  # fmt: skip
    target_date = (date.today() + timedelta(days=60)).isoformat()
    status, goal = ana.call(
        "POST",
        f"/teams/{team['id']}/goals",
        {
            "name": "Lisbon to Porto",
            "description": "",
            "targetDate": target_date,
            "startLocation": start,
            "endLocation": end,
            "waypoints": waypoints,
        },  # fmt: skip
    )
    assert status == 201, goal
    assert goal["status"] == "ACTIVE" and len(goal["waypoints"]) == 1
    status, cards = ana.call("GET", f"/teams/{team['id']}/goals")
    card = next(c for c in cards if c["id"] == goal["id"])
    assert card["targetDate"].startswith(target_date)
    assert card["totalDistance"] > 280_000 and card["currentDistance"] == 0

    # Walks, one retried without a key (offline sync): it counts once.
    now = datetime.now(UTC)
    walk = {"distance": 5200, "duration": 3600, "timestamp": now.isoformat(), "isPrivate": False}
    assert ana.call("POST", "/activities", walk)[0] == 201
    assert ana.call("POST", "/activities", walk)[0] == 200
    other = {**walk, "distance": 3100}
    assert ben.call("POST", "/activities", other)[0] == 201
    status, cards = ana.call("GET", f"/teams/{team['id']}/goals")
    assert next(c for c in cards if c["id"] == goal["id"])["currentDistance"] == 8300

    # Stats and the three summary charts, each over its whole window.
    status, stats = ana.call("GET", "/users/me/stats")
    assert stats["totalActivities"] == 1 and stats["averageDistance"] == 5200
    assert stats["bestDay"]["date"]
    today = date.today()
    for period, count, days in (("daily", 30, 29), ("weekly", 8, 7 * 7), ("daily", 7, 6)):
        q = f"period={period}&startDate={(today - timedelta(days=days)).isoformat()}"
        status, summary = ana.call(
            "GET", f"/activities/summary?{q}&endDate={today.isoformat()}&limit={count}"
        )
        assert status == 200 and len(summary["summaries"]) == count
        assert sum(s["totalActivities"] for s in summary["summaries"]) == 1

    # The dashboard: teams with progress, recent activities with a user name, the boards.
    status, dash = ana.call("GET", "/dashboard")
    assert status == 200, dash
    assert dash["teams"][0]["id"] == team["id"] and dash["teams"][0]["progress"]
    assert all(a["userName"] for a in dash["recentActivities"])
    assert dash["personalStats"]["bestDay"]["date"]
    board = dash["teamLeaderboards"][0]
    assert board["teamId"] == team["id"] and board["members"][0]["name"] == "Ana"

    # Cancel the goal the client's way, leave, sign out with nothing.
    status, _ = ana.call("PUT", f"/teams/{team['id']}/goals/{goal['id']}", {"status": "FAILED"})
    assert status == 200
    status, failed = ana.call("GET", f"/teams/{team['id']}/goals/{goal['id']}")
    assert failed["status"] == "FAILED"
    assert ben.call("DELETE", f"/teams/{team['id']}/members/me")[0] == 200
    status, raw = ben.auth("/auth/logout")
    assert status == 200 and raw["success"] is True
