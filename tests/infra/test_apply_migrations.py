"""The deploy-time migration handler: returns the resource, migrates, creates the app role."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import psycopg
import pytest

from functions.deploy import apply_migrations as mod

EVENT = {
    "RequestType": "Create",
    "StackId": "arn:aws:cloudformation:eu-west-1:111111111111:stack/x/1",
    "RequestId": "req-1",
    "LogicalResourceId": "Migrations",
    "ResourceProperties": {"MigrationsHash": "abc"},
}
SECRET = {"username": "u", "password": "p", "host": "h"}


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    monkeypatch.setenv("MASTER_SECRET_ARN", "arn:secret")
    monkeypatch.setenv("DB_APP_USER", "mq_app")


def test_database_url_quotes_credentials_and_requires_tls():
    url = mod.database_url(
        {"username": "postgres", "password": "p@ss/w:rd", "host": "db.internal", "port": 5432}
    )
    parts = urlsplit(url)
    assert parts.hostname == "db.internal" and parts.port == 5432
    assert parts.password == "p%40ss%2Fw%3Ard"
    assert parts.path == "/milequest"
    assert "sslmode=require" in parts.query


def test_create_and_update_migrate_and_return_the_resource(monkeypatch):
    monkeypatch.setattr(mod, "read_secret", lambda arn: SECRET)
    migrated = []
    monkeypatch.setattr(mod, "migrate", lambda url, role: migrated.append(role) or ["0009.x"])
    created = mod.handler(EVENT, None)
    updated = mod.handler(
        {**EVENT, "RequestType": "Update", "PhysicalResourceId": created["PhysicalResourceId"]},
        None,
    )
    assert migrated == ["mq_app", "mq_app"]
    assert created == {
        "PhysicalResourceId": mod.PHYSICAL_ID,
        "Data": {"Applied": "0009.x", "Count": "1"},
    }
    assert updated["PhysicalResourceId"] == mod.PHYSICAL_ID  # an update replaces nothing


def test_delete_does_not_touch_the_database(monkeypatch):
    monkeypatch.setattr(mod, "read_secret", lambda arn: pytest.fail("no secret on delete"))
    result = mod.handler({**EVENT, "RequestType": "Delete", "PhysicalResourceId": "keep-me"}, None)
    assert result == {"PhysicalResourceId": "keep-me", "Data": {}}


def test_a_failure_fails_the_resource(monkeypatch):
    # The Provider's framework turns the handler's exception into a FAILED answer.
    def boom(url, role):
        raise RuntimeError("relation exists")

    monkeypatch.setattr(mod, "read_secret", lambda arn: SECRET)
    monkeypatch.setattr(mod, "migrate", boom)
    with pytest.raises(RuntimeError, match="relation exists"):
        mod.handler(EVENT, None)


def test_migrate_applies_migrations_and_grants_dml_to_the_app_role(empty_database):
    role = f"mq_app_{uuid.uuid4().hex[:8]}"
    try:
        applied = mod.migrate(empty_database, role)
        assert applied, "a fresh database gets every migration"
        assert mod.migrate(empty_database, role) == []  # idempotent
        with psycopg.connect(empty_database, autocommit=True) as conn:
            row = conn.execute(
                "SELECT has_table_privilege(%s, 'teams', 'INSERT'),"
                " has_table_privilege(%s, 'teams', 'TRUNCATE'),"
                " rolcanlogin FROM pg_roles WHERE rolname = %s",
                (role, role, role),
            ).fetchone()
            assert row == (True, False, True)
    finally:
        with psycopg.connect(empty_database, autocommit=True) as conn:
            conn.execute(psycopg.sql.SQL("DROP OWNED BY {}").format(psycopg.sql.Identifier(role)))
            conn.execute(
                psycopg.sql.SQL("DROP ROLE IF EXISTS {}").format(psycopg.sql.Identifier(role))
            )
