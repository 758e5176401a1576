"""`make seed`: a small demo data set, loaded through the running local API (`make run`).

Going through the API (not SQL) keeps the demo data honest: users exist in the local Cognito
with the password below, aggregates are maintained by the real write path. Re-running is safe:
existing users log in, existing teams are joined instead of created.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

BASE = os.environ.get("MILEQUEST_API", "http://127.0.0.1:3001")
PASSWORD = "Walk-1234"
USERS = [
    ("demo@milequest.dev", "Demo Walker", "Europe/Lisbon"),
    ("ana@milequest.dev", "Ana Sousa", "Europe/Lisbon"),
    ("ben@milequest.dev", "Ben Carter", "America/New_York"),
    ("chloe@milequest.dev", "Chloé Martin", "Europe/Paris"),
]


def api(method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{BASE}{path}", data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def sign_in(email: str, name: str, tz: str) -> str:
    status, _ = api(
        "POST",
        "/auth/register",
        {"email": email, "password": PASSWORD, "name": name, "timezone": tz},
    )
    if status == 201:
        api("POST", "/auth/verify-email", {"email": email, "code": "123456"})
    status, body = api("POST", "/auth/login", {"email": email, "password": PASSWORD})
    if status != 200:
        sys.exit(f"cannot sign in {email}: {status} {body}")
    return str(body["data"]["tokens"]["idToken"])


def ensure_team(token: str, name: str, public: bool) -> dict[str, Any]:
    status, body = api(
        "POST",
        "/teams",
        {"name": name, "isPublic": public, "description": f"{name} demo team"},
        token,
    )
    if status == 201:
        return dict(body["data"])
    _, mine = api("GET", "/teams?limit=50", token=token)
    for team in mine["data"]["items"]:
        if team["name"] == name:
            return dict(team)
    sys.exit(f"cannot create team {name}: {status} {body}")


def main() -> None:
    tokens = {email: sign_in(email, name, tz) for email, name, tz in USERS}
    demo = tokens["demo@milequest.dev"]
    team = ensure_team(demo, "Lisbon Striders", public=True)
    for token in tokens.values():
        if token != demo:
            api("POST", "/teams/join", {"teamId": team["id"]}, token)
    now = datetime.now(UTC)
    api(
        "POST",
        f"/teams/{team['id']}/goals",
        {
            "name": "Lisbon to Porto",
            "description": "Walk the coast north",
            "startLocation": {"lat": 38.7223, "lng": -9.1393, "address": "Lisbon"},
            "endLocation": {"lat": 41.1579, "lng": -8.6291, "address": "Porto"},
            "waypoints": [{"lat": 40.2033, "lng": -8.4103, "address": "Coimbra"}],
            "startDate": (now - timedelta(days=14)).isoformat(),
            "endDate": (now + timedelta(days=60)).isoformat(),
            "status": "ACTIVE",
        },
        demo,
    )
    for i, token in enumerate(tokens.values()):
        for day in range(10):
            when = now - timedelta(days=day, hours=i)
            api(
                "POST",
                "/activities",
                {
                    "distance": 3000 + 700 * ((day + i) % 5),
                    "duration": 1800 + 240 * ((day + i) % 5),
                    "timestamp": when.isoformat(),
                    "notes": "Morning walk" if day % 2 else None,
                    "source": "MANUAL",
                },
                token,
            )
    print(f"seeded {len(USERS)} users, team '{team['name']}', a goal and activities")
    print(f"sign in as demo@milequest.dev / {PASSWORD}")


if __name__ == "__main__":
    main()
