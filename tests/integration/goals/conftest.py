"""Goals fixtures: teams and memberships are inserted with SQL (teams' own routes are another
area's); goals are always created through the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from milequest.db import user_daily
from tests.support.api import TestUser, call

LISBON = {"lat": 38.7223, "lng": -9.1393, "address": "Lisbon"}
PORTO = {"lat": 41.1579, "lng": -8.6291, "address": "Porto"}
COIMBRA = {"lat": 40.2033, "lng": -8.4103}


@dataclass
class GoalTeam:
    id: str
    admin: TestUser
    member: TestUser


def iso(dt: datetime) -> str:
    return dt.isoformat()


def in_days(days: float) -> str:
    return iso(datetime.now(UTC) + timedelta(days=days))


def goal_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": f"Lisbon to Porto {uuid.uuid4().hex[:6]}",
        "startLocation": LISBON,
        "endLocation": PORTO,
        "endDate": in_days(30),
        # Explicit: these tests start from a draft (an omitted status means ACTIVE).
        "status": "DRAFT",
    }
    body.update(overrides)
    return body


def create_goal(team: GoalTeam, user: TestUser | None = None, **overrides: Any) -> dict[str, Any]:
    r = call(
        "POST", f"/teams/{team.id}/goals", user=user or team.admin, json_body=goal_body(**overrides)
    )
    assert r.status == 201, r.body
    return r.data  # type: ignore[no-any-return]


@pytest.fixture
def make_team(db, make_user):
    def make(public: bool = False) -> GoalTeam:
        admin, member = make_user("Goal Admin"), make_user("Goal Member")
        suffix = uuid.uuid4().hex
        team_id = db.execute(
            "INSERT INTO teams (name, invite_code, is_public, created_by) "
            "VALUES (%s, %s, %s, %s) RETURNING id",
            (f"Goals {suffix[:12]}", suffix[:20], public, admin.id),
        ).fetchone()[0]
        for user, role in ((admin, "ADMIN"), (member, "MEMBER")):
            db.execute(
                "INSERT INTO team_members (team_id, user_id, role, joined_at) "
                "VALUES (%s, %s, %s, now() - interval '60 days')",
                (team_id, user.id, role),
            )
        return GoalTeam(id=str(team_id), admin=admin, member=member)

    return make


@pytest.fixture
def team(make_team) -> GoalTeam:
    return make_team()


def add_activity(db: Any, user: TestUser, distance: float, at: datetime) -> None:
    """A walk in SQL, with its day's totals as the write path keeps them (the forecast's
    sample reads those)."""
    duration = max(1, int(distance))
    db.execute(
        "INSERT INTO activities (user_id, distance, duration, activity_at) VALUES (%s, %s, %s, %s)",
        (user.id, distance, duration, at),
    )
    user_daily.add(db, user.id, at, Decimal(str(distance)), duration)
