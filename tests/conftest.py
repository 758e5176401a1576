"""Shared fixtures: every test run creates its own PostgreSQL databases and drops them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest

from milequest.db.migrations import apply_migrations

ADMIN_URL = os.environ.get(
    "TEST_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _url_for(dbname: str) -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{dbname}"


def _create(dbname: str) -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    return _url_for(dbname)


def _drop(dbname: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A brand-new empty database (no extensions, no migrations); dropped afterwards."""
    name = f"mq_test_{uuid.uuid4().hex[:12]}"
    url = _create(name)
    try:
        yield url
    finally:
        _drop(name)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A migrated database shared by the whole session; dropped at the end."""
    name = f"mq_test_{uuid.uuid4().hex[:12]}"
    url = _create(name)
    try:
        apply_migrations(url)
        yield url
    finally:
        _drop(name)


@pytest.fixture
def db(database_url: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to the session database."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def new_migrated_database() -> Iterator[Callable[[], str]]:
    """Factory for extra, fully migrated databases (for tests that must own their data)."""
    names: list[str] = []

    def make() -> str:
        name = f"mq_test_{uuid.uuid4().hex[:12]}"
        names.append(name)
        url = _create(name)
        apply_migrations(url)
        return url

    yield make
    for name in names:
        _drop(name)
