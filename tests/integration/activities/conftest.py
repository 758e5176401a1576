"""Activities fixtures: teams, memberships and ACTIVE goals made directly in SQL, so the write
path is tested on its own (the teams and goals routes have their own tests)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.support.api import TestUser

LINE = "SRID=4326;LINESTRING(-9.14 38.72, -8.41 40.20, -8.63 41.16)"


@dataclass
class Team:
    id: uuid.UUID
    goal_id: uuid.UUID | None


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def make_team(db: psycopg.Connection) -> Callable[..., Team]:
    def make(
        members: list[TestUser],
        *,
        target: float = 100_000,
        waypoints: tuple[float, ...] = (),
        goal: bool = True,
        joined: datetime | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> Team:
        row = db.execute(
            "INSERT INTO teams (name, invite_code) VALUES (%s, %s) RETURNING id",
            (f"team-{uuid.uuid4().hex[:12]}", uuid.uuid4().hex),
        ).fetchone()
        assert row
        team_id = row[0]
        for i, user in enumerate(members):
            db.execute(
                "INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES (%s,%s,%s,%s)",
                (
                    team_id,
                    user.id,
                    "ADMIN" if i == 0 else "MEMBER",
                    joined or _now() - timedelta(days=60),
                ),
            )
        goal_id = None
        if goal:
            marks = [*waypoints, target]
            segments: list[dict[str, Any]] = []
            for i, mark in enumerate(marks):
                prev = marks[i - 1] if i else 0
                segments.append({"distance": mark - prev, "cumulativeDistance": mark})
            row = db.execute(
                """INSERT INTO team_goals (team_id, name, status, start_location, end_location,
                       route_data, route_geom, target_distance, start_date, end_date)
                   VALUES (%s, 'Lisbon to Porto', 'ACTIVE', '{"lat": 38.72, "lng": -9.14}',
                           '{"lat": 41.16, "lng": -8.63}', %s, %s, %s, %s, %s) RETURNING id""",
                (
                    team_id,
                    Jsonb({"segments": segments}),
                    LINE,
                    target,
                    start or _now() - timedelta(days=30),
                    end or _now() + timedelta(days=30),
                ),
            ).fetchone()
            assert row
            goal_id = row[0]
            db.execute(
                "INSERT INTO team_progress (goal_id, team_id) VALUES (%s, %s)", (goal_id, team_id)
            )
        return Team(team_id, goal_id)

    return make


@pytest.fixture
def set_timezone(db: psycopg.Connection) -> Callable[[TestUser, str], None]:
    def set_tz(user: TestUser, tz: str) -> None:
        db.execute("UPDATE users SET timezone = %s WHERE id = %s", (tz, user.id))

    return set_tz


def walk(
    distance: float = 5000,
    duration: int | None = None,
    at: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A valid activity body (5 km at 12 min/km by default)."""
    return {
        "distance": distance,
        "duration": duration if duration is not None else int(distance * 0.72),
        "timestamp": (at or _now() - timedelta(minutes=1)).isoformat(),
        **extra,
    }
