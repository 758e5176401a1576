"""Jobs fixtures: each test that needs exact counts gets a database of its own (the session
database holds other tests' rows), seeded through the API like real traffic."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import psycopg
import pytest

from milequest.domain.identity import resolve_user
from tests.integration.conftest import use_database
from tests.support.api import TestUser, call, new_user

LISBON = {"lat": 38.7223, "lng": -9.1393, "address": "Lisbon"}
PORTO = {"lat": 41.1579, "lng": -8.6291, "address": "Porto"}


@pytest.fixture
def own_database(new_migrated_database, database_url) -> Iterator[str]:
    """A fresh migrated database the app's settings point at for this test only."""
    url = new_migrated_database()
    use_database(url)
    try:
        yield url
    finally:
        use_database(database_url)


@pytest.fixture
def conn(own_database) -> Iterator[psycopg.Connection]:
    with psycopg.connect(own_database, autocommit=True) as c:
        yield c


def user_in(url: str, name: str) -> TestUser:
    user = new_user(name)
    with psycopg.connect(url, autocommit=True) as c:
        user.id = resolve_user(c, user.sub, user.email, user.name, True)
    return user


@dataclass
class World:
    users: list[TestUser]
    team_ids: list[str] = field(default_factory=list)
    goal_ids: list[str] = field(default_factory=list)
    activity_ids: list[str] = field(default_factory=list)


def _ok(result: Any, status: int = 201) -> Any:
    assert result.status == status, result.body
    return result.data


def seed_world(url: str, teams: int = 2, members: int = 3, walks: int = 3) -> World:
    """Teams with an ACTIVE goal each, members who walked (so user_stats and team_progress have
    something to agree on), comments and reactions on the walks."""
    now = datetime.now(UTC)
    world = World(users=[])
    for t in range(teams):
        people = [user_in(url, f"Walker{t}{i}") for i in range(members)]
        world.users += people
        admin = people[0]
        team = _ok(call("POST", "/teams", user=admin, json_body={"name": f"T {uuid.uuid4().hex}"}))
        world.team_ids.append(team["id"])
        for person in people[1:]:
            body = {"inviteCode": team["inviteCode"]}
            _ok(call("POST", "/teams/join", user=person, json_body=body), 200)
        goal = _ok(
            call(
                "POST",
                f"/teams/{team['id']}/goals",
                user=admin,
                json_body={
                    "name": f"Lisbon to Porto {t}",
                    "startLocation": LISBON,
                    "endLocation": PORTO,
                    "endDate": (now + timedelta(days=30)).isoformat(),
                    "status": "ACTIVE",
                },
            )
        )
        world.goal_ids.append(goal["id"])
        for i, person in enumerate(people):
            for w in range(walks):
                distance = 1000 + 250 * i + 10 * w
                walk = {
                    "distance": distance,
                    "duration": int(distance * 0.72),
                    "timestamp": (now - timedelta(hours=1 + w, minutes=i)).isoformat(),
                }
                activity = _ok(call("POST", "/activities", user=person, json_body=walk))
                world.activity_ids.append(activity["activity"]["id"])
        first = world.activity_ids[-1]
        _ok(call("POST", f"/activities/{first}/comments", user=admin, json_body={"text": "Go!"}))
        call("PUT", f"/activities/{first}/reactions/{quote('🔥')}", user=admin)
    return world


Factory = Callable[..., World]
