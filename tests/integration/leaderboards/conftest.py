"""Leaderboard fixtures: walks inserted in SQL at chosen instants (the boards read raw
activities; the write path has its own tests) with their day's totals as the write path keeps
them (the forecast's sample reads those), and a database of their own for the public boards,
whose answers are global."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from milequest.db import user_daily
from milequest.domain.identity import resolve_user
from tests.integration.conftest import use_database
from tests.support.api import TestUser, new_user


def add_walk(
    conn: psycopg.Connection,
    user: TestUser,
    distance: float,
    at: datetime | None = None,
    *,
    private: bool = False,
) -> None:
    at = at or datetime.now(UTC)
    duration = max(1, int(distance * 0.72))
    conn.execute(
        """INSERT INTO activities (user_id, distance, duration, activity_at, is_private)
           VALUES (%s, %s, %s, %s, %s)""",
        (user.id, distance, duration, at, private),
    )
    user_daily.add(conn, user.id, at, Decimal(str(distance)), duration)


def backdate_memberships(conn: psycopg.Connection, team_id: Any, days: int = 400) -> None:
    conn.execute(
        "UPDATE team_members SET joined_at = now() - make_interval(days => %s) WHERE team_id = %s",
        (days, team_id),
    )


def ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


@pytest.fixture
def own_db(new_migrated_database, database_url) -> Iterator[psycopg.Connection]:
    """Point the app at a fresh migrated database for one test, then back at the session's."""
    url = new_migrated_database()
    use_database(url)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            yield conn
    finally:
        use_database(database_url)


@pytest.fixture
def own_user(own_db: psycopg.Connection) -> Callable[[str], TestUser]:
    def make(name: str = "Walker") -> TestUser:
        user = new_user(name)
        user.id = resolve_user(own_db, user.sub, user.email, user.name, True)
        return user

    return make
