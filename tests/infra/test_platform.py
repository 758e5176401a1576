"""Deployability and limits: zones, engine, function timeouts against the proxy, the
concurrency budget, tracing, log retention and the replica."""

from __future__ import annotations

import pytest

from infra.config import API_GATEWAY_TIMEOUT_S, ENVIRONMENTS

ENVS = ["dev", "prod"]


def _functions(s):
    """Every AWS::Lambda::Function of the environment: parent stack and area stacks."""
    found = dict(s.of_type("AWS::Lambda::Function"))
    for area, (template, _) in s.nested.items():
        for logical, res in template["Resources"].items():
            if res["Type"] == "AWS::Lambda::Function":
                found[f"{area}/{logical}"] = res
    return found


def _ours(s):
    """Our functions (not CDK's framework functions): the ones in the VPC."""
    return {k: v for k, v in _functions(s).items() if "VpcConfig" in v["Properties"]}


@pytest.mark.parametrize("env", ENVS)
def test_subnets_sit_in_the_configured_zones(synth, env):
    s = synth[env]
    zones = {v["Properties"]["AvailabilityZone"] for v in s.of_type("AWS::EC2::Subnet").values()}
    assert zones == set(s.stack.config.availability_zones)
    assert all(z.startswith(s.stack.config.region) for z in zones)


@pytest.mark.parametrize("env", ENVS)
def test_engine_major_is_pinned_and_minor_upgrades_are_automatic(synth, env):
    s = synth[env]
    config = s.stack.config
    for db in s.of_type("AWS::RDS::DBInstance").values():
        props = db["Properties"]
        if "SourceDBInstanceIdentifier" not in props:
            assert props["EngineVersion"] == config.db_engine_version
            assert props["EngineVersion"].split(".")[0] == config.db_engine_major
        assert props["AutoMinorVersionUpgrade"] is True
    family = s.one("AWS::RDS::DBParameterGroup")["Properties"]["Family"]
    assert family == f"postgres{config.db_engine_major}"


@pytest.mark.parametrize("env", ENVS)
def test_every_function_outlasts_the_borrow_timeout_and_fits_api_gateway(synth, env):
    s = synth[env]
    borrow = s.one("AWS::RDS::DBProxyTargetGroup")["Properties"]["ConnectionPoolConfigurationInfo"][
        "ConnectionBorrowTimeout"
    ]
    for area, (template, _) in s.nested.items():
        for res in template["Resources"].values():
            if res["Type"] == "AWS::Lambda::Function":
                assert borrow < res["Properties"]["Timeout"] < API_GATEWAY_TIMEOUT_S, area


@pytest.mark.parametrize("env", ENVS)
def test_reserved_concurrency_sums_below_what_the_proxy_may_open(synth, env):
    s = synth[env]
    config = s.stack.config
    ours = _ours(s)
    reserved = {k: v["Properties"].get("ReservedConcurrentExecutions") for k, v in ours.items()}
    assert all(isinstance(n, int) and n >= 1 for n in reserved.values()), reserved
    pool = s.one("AWS::RDS::DBProxyTargetGroup")["Properties"]["ConnectionPoolConfigurationInfo"]
    params = s.one("AWS::RDS::DBParameterGroup")["Properties"]["Parameters"]
    proxy_may_open = int(params["max_connections"]) * pool["MaxConnectionsPercent"] // 100
    # The migration function connects to the instance directly (outside the proxy's share).
    through_proxy = sum(n for k, n in reserved.items() if "MigrationFn" not in k)
    assert through_proxy < proxy_may_open == config.proxy_connection_limit


@pytest.mark.parametrize("env", ENVS)
def test_our_functions_trace_with_xray_and_log_for_the_configured_days(synth, env):
    s = synth[env]
    for logical, fn in _ours(s).items():
        assert fn["Properties"]["TracingConfig"] == {"Mode": "Active"}, logical
    days = ENVIRONMENTS[env].log_retention_days
    for logical, group in s.of_type("AWS::Logs::LogGroup").items():
        assert group["Properties"]["RetentionInDays"] == days, logical


def test_prod_replica_is_gp3_autoscaling_with_logs_and_iam(synth):
    (replica,) = [
        v["Properties"]
        for v in synth["prod"].of_type("AWS::RDS::DBInstance").values()
        if "SourceDBInstanceIdentifier" in v["Properties"]
    ]
    config = synth["prod"].stack.config
    assert replica["StorageType"] == "gp3"
    assert int(replica["MaxAllocatedStorage"]) == config.db_max_allocated_storage_gib
    assert replica["EnableCloudwatchLogsExports"] == ["postgresql"]
    assert replica["EnableIAMDatabaseAuthentication"] is True
    assert replica["DBInstanceIdentifier"] == "milequest-prod-replica"


@pytest.mark.parametrize("env", ENVS)
def test_read_host_is_set_only_with_a_replica(synth, env):
    s = synth[env]
    has_replica = s.stack.config.db_read_replica
    for logical, fn in _ours(s).items():
        variables = fn["Properties"]["Environment"]["Variables"]
        if "MASTER_SECRET_ARN" in variables:
            continue  # the migration function
        assert ("DB_READ_HOST" in variables) is has_replica, logical
    if has_replica:
        (replica,) = [
            k
            for k, v in s.of_type("AWS::RDS::DBInstance").items()
            if "SourceDBInstanceIdentifier" in v["Properties"]
        ]
        assert s.stack.api.environment["DB_READ_HOST"] == s.stack.database.read_host
        grants = [
            st
            for p in s.of_type("AWS::IAM::Policy").values()
            for st in p["Properties"]["PolicyDocument"]["Statement"]
            if st["Action"] == "rds-db:connect"
            and {"Fn::GetAtt": [replica, "DbiResourceId"]} in str_parts(st["Resource"])
        ]
        assert grants


def str_parts(resource):
    return resource["Fn::Join"][1] if isinstance(resource, dict) and "Fn::Join" in resource else []


@pytest.mark.parametrize("env", ENVS)
def test_master_secret_rotates(synth, env):
    s = synth[env]
    schedule = s.one("AWS::SecretsManager::RotationSchedule")["Properties"]
    assert schedule["RotationRules"]["ScheduleExpression"] == "rate(30 days)"
