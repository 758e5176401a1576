"""Integration fixtures: the app's settings point at the session's test database."""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest

from milequest.config import get_settings
from milequest.db import connection as db_connection
from milequest.domain.identity import resolve_user
from tests.support.api import TestUser, new_user


def use_database(url: str, mode: str = "pool") -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DB_MODE"] = mode
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    get_settings.cache_clear()
    db_connection.reset()


@pytest.fixture(scope="session", autouse=True)
def app_database(database_url: str) -> Iterator[str]:
    use_database(database_url)
    yield database_url
    db_connection.reset()


@pytest.fixture
def make_user(database_url: str):
    """Create users the way a first authenticated request would (row found-or-created)."""

    def make(name: str = "Walker") -> TestUser:
        user = new_user(name)
        with psycopg.connect(database_url, autocommit=True) as conn:
            user.id = resolve_user(conn, user.sub, user.email, user.name, True)
        return user

    return make
