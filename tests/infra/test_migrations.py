"""Deploy-time migrations: a custom resource Provider in front of the migration function."""

from __future__ import annotations

import pytest

from infra import bundling
from infra.migrations import MIGRATION_SERVICE_TIMEOUT

ENVS = ["dev", "prod"]


def _migrations(s):
    """(custom resource properties, framework function, migration function) of a template."""
    props = s.one("Custom::MileQuestMigrations")["Properties"]
    framework = s.resources[props["ServiceToken"]["Fn::GetAtt"][0]]
    target = framework["Properties"]["Environment"]["Variables"]["USER_ON_EVENT_FUNCTION_ARN"]
    return props, framework, s.resources[target["Fn::GetAtt"][0]]


def _statements(s, role_logical):
    return [
        st
        for p in s.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_logical} in p["Properties"]["Roles"]
        for st in p["Properties"]["PolicyDocument"]["Statement"]
    ]


@pytest.mark.parametrize("env", ENVS)
def test_migrations_run_through_the_provider_on_each_change(synth, env):
    s = synth[env]
    props, _, fn = _migrations(s)
    assert props["MigrationsHash"] == bundling.migrations_hash()
    assert props["Version"] == "test-version"
    fn = fn["Properties"]
    assert fn["Handler"] == "functions.deploy.apply_migrations.handler"
    assert fn["Runtime"] == "python3.12" and fn["Architectures"] == ["arm64"]
    secret = fn["Environment"]["Variables"]["MASTER_SECRET_ARN"]
    assert s.resources[secret["Ref"]]["Type"].startswith("AWS::SecretsManager::Secret")
    # Route functions wait for the schema.
    for area, (_, logical) in s.nested.items():
        depends = s.resources[logical].get("DependsOn", [])
        assert any("Migrations" in d for d in depends), area


@pytest.mark.parametrize("env", ENVS)
def test_migrations_cannot_hang_the_stack_or_block_traffic(synth, env):
    s = synth[env]
    props, framework, fn = _migrations(s)
    assert int(props["ServiceTimeout"]) == MIGRATION_SERVICE_TIMEOUT.to_seconds()
    fn = fn["Properties"]
    # The framework waits for the migration function, CloudFormation for the framework.
    assert fn["Timeout"] < framework["Properties"]["Timeout"]
    assert fn["Timeout"] < int(props["ServiceTimeout"])
    options = fn["Environment"]["Variables"]["PGOPTIONS"]
    assert "lock_timeout=" in options and "statement_timeout=" in options
    assert fn["ReservedConcurrentExecutions"] == 1


@pytest.mark.parametrize("env", ENVS)
def test_the_framework_may_only_invoke_the_migration_function_and_write_its_logs(synth, env):
    s = synth[env]
    _, framework, _ = _migrations(s)
    role = framework["Properties"]["Role"]["Fn::GetAtt"][0]
    assert "ManagedPolicyArns" not in s.resources[role]["Properties"]
    target = framework["Properties"]["Environment"]["Variables"]["USER_ON_EVENT_FUNCTION_ARN"]
    fn_logical = target["Fn::GetAtt"][0]
    group_logical = framework["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    group = s.resources[group_logical]["Properties"]
    assert group["RetentionInDays"] == s.stack.config.log_retention_days
    for st in _statements(s, role):
        actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
        if all(a.startswith("logs:") for a in actions):
            assert resources == [{"Fn::GetAtt": [group_logical, "Arn"]}]
        else:
            assert set(actions) <= {"lambda:InvokeFunction", "lambda:GetFunction"}
            assert all(fn_logical in str(r) for r in resources), resources


def test_migrations_hash_changes_with_migration_content(tmp_path, monkeypatch):
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001.a.sql").write_text("select 1;")
    monkeypatch.setattr(bundling, "ROOT", tmp_path)
    first = bundling.migrations_hash()
    (tmp_path / "migrations" / "0001.a.sql").write_text("select 2;")
    assert bundling.migrations_hash() != first
