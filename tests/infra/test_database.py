"""RDS PostgreSQL and RDS Proxy."""

from __future__ import annotations

import pytest

from infra import bundling

ENVS = ["dev", "prod"]


def _instances(s):
    return {
        k: v
        for k, v in s.of_type("AWS::RDS::DBInstance").items()
        if "SourceDBInstanceIdentifier" not in v["Properties"]
    }


@pytest.mark.parametrize("env", ENVS)
def test_database_is_private_encrypted_postgres16(synth, env):
    s = synth[env]
    ((_, db),) = _instances(s).items()
    props = db["Properties"]
    assert props["Engine"] == "postgres"
    assert props["EngineVersion"].startswith("16.")
    assert props["PubliclyAccessible"] is False
    assert props["StorageEncrypted"] is True
    key = props["KmsKeyId"]["Fn::GetAtt"][0]
    assert s.resources[key]["Type"] == "AWS::KMS::Key"
    assert s.resources[key]["Properties"]["EnableKeyRotation"] is True
    assert props["EnableCloudwatchLogsExports"] == ["postgresql"]
    assert props["EnablePerformanceInsights"] is True
    assert int(props["MaxAllocatedStorage"]) > int(props["AllocatedStorage"])
    assert props["EnableIAMDatabaseAuthentication"] is True
    subnet_group = s.resources[props["DBSubnetGroupName"]["Ref"]]["Properties"]
    assert all("dataSubnet" in x["Ref"] for x in subnet_group["SubnetIds"])


@pytest.mark.parametrize("env", ENVS)
def test_parameter_group_forces_tls_and_logs_slow_statements(synth, env):
    params = synth[env].one("AWS::RDS::DBParameterGroup")["Properties"]["Parameters"]
    assert params["rds.force_ssl"] == "1"
    assert params["shared_preload_libraries"] == "pg_stat_statements"
    assert params["log_min_duration_statement"] == "1000"


def test_prod_keeps_backups_a_week_protects_and_snapshots_on_delete(synth):
    ((_, db),) = _instances(synth["prod"]).items()
    assert int(db["Properties"]["BackupRetentionPeriod"]) >= 7
    assert db["Properties"]["DeletionProtection"] is True
    assert db["DeletionPolicy"] == "Snapshot"
    assert db["UpdateReplacePolicy"] == "Snapshot"
    assert db["Properties"]["MultiAZ"] is True


def test_dev_keeps_one_day_of_backups_without_protection(synth):
    ((_, db),) = _instances(synth["dev"]).items()
    assert int(db["Properties"]["BackupRetentionPeriod"]) == 1
    assert db["Properties"].get("DeletionProtection", False) is False
    assert db["DeletionPolicy"] == "Delete"


def test_read_replica_follows_configuration(synth):
    def replicas(env):
        return [
            v
            for v in synth[env].of_type("AWS::RDS::DBInstance").values()
            if "SourceDBInstanceIdentifier" in v["Properties"]
        ]

    assert len(replicas("prod")) == 1 and synth["prod"].stack.config.db_read_replica
    assert replicas("dev") == [] and not synth["dev"].stack.config.db_read_replica
    assert replicas("prod")[0]["Properties"]["PubliclyAccessible"] is False


@pytest.mark.parametrize("env", ENVS)
def test_proxy_requires_tls_and_iam_with_a_short_borrow_timeout(synth, env):
    s = synth[env]
    proxy = s.one("AWS::RDS::DBProxy")["Properties"]
    assert proxy["RequireTLS"] is True
    assert proxy["EngineFamily"] == "POSTGRESQL"
    assert proxy.get("DefaultAuthScheme") == "IAM_AUTH" or all(
        a["IAMAuth"] == "REQUIRED" for a in proxy["Auth"]
    )
    target = s.one("AWS::RDS::DBProxyTargetGroup")["Properties"]
    pool = target["ConnectionPoolConfigurationInfo"]
    assert pool["ConnectionBorrowTimeout"] < 29
    assert pool["MaxConnectionsPercent"] == 80


@pytest.mark.parametrize("env", ENVS)
def test_security_groups_allow_only_function_to_proxy_to_database(synth, env):
    s = synth[env]
    ingress = s.props("AWS::EC2::SecurityGroupIngress", lambda p: p.get("FromPort") == 5432)
    pairs = {
        (i["GroupId"]["Fn::GetAtt"][0], i["SourceSecurityGroupId"]["Fn::GetAtt"][0])
        for i in ingress
    }
    names = {(a.split("Network")[1][:6], b.split("Network")[1][:6]) for a, b in pairs}
    expected = {("ProxyS", "Functi"), ("Databa", "ProxyS"), ("Databa", "Migrat")}
    if s.stack.config.db_read_replica:
        # RDS Proxy cannot front a read replica: readers reach the replica directly.
        expected.add(("Replic", "Functi"))
    assert names == expected
    for sg in s.of_type("AWS::EC2::SecurityGroup").values():
        for rule in sg["Properties"].get("SecurityGroupIngress", []):
            assert rule.get("CidrIp") != "0.0.0.0/0"


def test_runtime_requirements_leave_out_what_lambda_ships():
    reqs = bundling.runtime_requirements()
    names = {r.split("[")[0].split(">")[0].split("=")[0].strip().lower() for r in reqs}
    assert "boto3" not in names and "botocore" not in names
    assert {"pydantic", "psycopg", "yoyo-migrations"} <= names


@pytest.mark.parametrize("env", ENVS)
def test_proxy_role_may_sign_in_to_the_instance_as_the_app_user(synth, env):
    s = synth[env]
    proxy = s.one("AWS::RDS::DBProxy")
    role = proxy["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    ((db_logical, _),) = _instances(s).items()
    statements = [
        st
        for p in s.of_type("AWS::IAM::Policy").values()
        if {"Ref": role} in p["Properties"]["Roles"]
        for st in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    (st,) = statements
    assert st["Action"] == "rds-db:connect"
    parts = st["Resource"]["Fn::Join"][1]
    assert {"Fn::GetAtt": [db_logical, "DbiResourceId"]} in parts
    assert parts[-1] == "/milequest_app"
