"""The deploy-time migration handler: answers CloudFormation, migrates, creates the app role."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import psycopg
import pytest

from functions.deploy import apply_migrations as mod

EVENT = {
    "RequestType": "Create",
    "ResponseURL": "https://example.invalid/response",
    "StackId": "arn:aws:cloudformation:eu-west-1:111111111111:stack/x/1",
    "RequestId": "req-1",
    "LogicalResourceId": "Migrations",
    "ResourceProperties": {"MigrationsHash": "abc"},
}


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(mod, "send_response", lambda *a: calls.append(a))
    monkeypatch.setenv("MASTER_SECRET_ARN", "arn:secret")
    monkeypatch.setenv("DB_APP_USER", "mq_app")
    return calls


def test_database_url_quotes_credentials_and_requires_tls():
    url = mod.database_url(
        {"username": "postgres", "password": "p@ss/w:rd", "host": "db.internal", "port": 5432}
    )
    parts = urlsplit(url)
    assert parts.hostname == "db.internal" and parts.port == 5432
    assert parts.password == "p%40ss%2Fw%3Ard"
    assert parts.path == "/milequest"
    assert "sslmode=require" in parts.query


def test_create_and_update_migrate_and_report_success(monkeypatch, sent):
    monkeypatch.setattr(
        mod, "read_secret", lambda arn: {"username": "u", "password": "p", "host": "h"}
    )
    migrated = []
    monkeypatch.setattr(mod, "migrate", lambda url, role: migrated.append(role) or ["0009.x"])
    for request_type in ("Create", "Update"):
        mod.handler({**EVENT, "RequestType": request_type}, None)
    assert migrated == ["mq_app", "mq_app"]
    assert [c[1] for c in sent] == ["SUCCESS", "SUCCESS"]
    assert sent[0][3] == {"Applied": "0009.x", "Count": "1"}
    assert sent[0][4] == mod.PHYSICAL_ID


def test_delete_does_not_touch_the_database(monkeypatch, sent):
    monkeypatch.setattr(mod, "read_secret", lambda arn: pytest.fail("no secret on delete"))
    mod.handler({**EVENT, "RequestType": "Delete", "PhysicalResourceId": "keep-me"}, None)
    assert sent[0][1] == "SUCCESS" and sent[0][4] == "keep-me"


def test_a_failure_is_reported_instead_of_leaving_the_stack_waiting(monkeypatch, sent):
    def boom(url, role):
        raise RuntimeError("relation exists")

    monkeypatch.setattr(
        mod, "read_secret", lambda arn: {"username": "u", "password": "p", "host": "h"}
    )
    monkeypatch.setattr(mod, "migrate", boom)
    mod.handler(EVENT, None)
    assert sent[0][1] == "FAILED"
    assert "relation exists" in sent[0][2]


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
