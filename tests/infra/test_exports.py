"""The data exports bucket (infra/exports.py): private, TLS only, encrypted, emptied after a
day, CORS for the web client following the 303, kept like the other stateful resources; only
the export route's function may put and get objects, under exports/ only."""

from __future__ import annotations

import pytest

from infra.function_roles import EXPORT_ROUTE

ENVS = ["dev", "prod"]


def _bucket(s) -> tuple[str, dict]:
    (logical,) = [k for k in s.of_type("AWS::S3::Bucket") if k.startswith("ExportsBucket")]
    return logical, s.resources[logical]


def _actions(statement) -> list[str]:
    actions = statement["Action"]
    return actions if isinstance(actions, list) else [actions]


def _export_function(s) -> dict:
    template, _ = s.nested["users"]
    (fn,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function"
        and r["Properties"]["Description"].startswith(f"{EXPORT_ROUTE}:")
    ]
    return fn


@pytest.mark.parametrize("env", ENVS)
def test_the_bucket_is_private_encrypted_and_empties_itself_after_a_day(synth, env):
    s = synth[env]
    logical, bucket = _bucket(s)
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    (lifecycle,) = props["LifecycleConfiguration"]["Rules"]
    assert lifecycle["Status"] == "Enabled" and lifecycle["ExpirationInDays"] == 1
    assert "Prefix" not in lifecycle and "Filter" not in lifecycle  # every object
    assert "VersioningConfiguration" not in props  # no old versions outliving the day
    (policy,) = s.props("AWS::S3::BucketPolicy", lambda p: p["Bucket"] == {"Ref": logical})
    (deny,) = policy["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }


@pytest.mark.parametrize("env", ENVS)
def test_the_bucket_is_kept_like_the_other_stateful_resources(synth, env):
    s = synth[env]
    _, bucket = _bucket(s)
    (logs,) = [v for k, v in s.of_type("AWS::S3::Bucket").items() if k.startswith("CdnLogs")]
    expected = "Retain" if env == "prod" else "Delete"
    assert bucket["DeletionPolicy"] == logs["DeletionPolicy"] == expected
    assert bucket["UpdateReplacePolicy"] == expected


@pytest.mark.parametrize("env", ENVS)
def test_downloads_are_access_logged_without_touching_the_logs_buckets_acl(synth, env):
    s = synth[env]
    logical, bucket = _bucket(s)
    (logs_logical,) = [k for k in s.of_type("AWS::S3::Bucket") if k.startswith("CdnLogs")]
    assert bucket["Properties"]["LoggingConfiguration"] == {
        "DestinationBucketName": {"Ref": logs_logical},
        "LogFilePrefix": "s3/exports/",
    }
    # CloudFront's log delivery keeps its ACL grant: no canned ACL replaces it.
    assert "AccessControl" not in s.resources[logs_logical]["Properties"]
    (policy,) = s.props("AWS::S3::BucketPolicy", lambda p: p["Bucket"] == {"Ref": logs_logical})
    (allow,) = [st for st in policy["PolicyDocument"]["Statement"] if st["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert _actions(allow) == ["s3:PutObject"]
    assert allow["Condition"]["ArnLike"] == {"aws:SourceArn": {"Fn::GetAtt": [logical, "Arn"]}}


@pytest.mark.parametrize("env", ENVS)
def test_cors_lets_the_web_origins_and_a_redirected_fetch_get_objects(synth, env):
    s = synth[env]
    _, bucket = _bucket(s)
    (rule,) = bucket["Properties"]["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedOrigins"] == [*s.stack.config.cors_allowed_origins, "null"]
    assert "*" not in rule["AllowedOrigins"]
    assert set(rule["AllowedMethods"]) == {"GET", "HEAD"}


@pytest.mark.parametrize("env", ENVS)
def test_only_the_export_role_reaches_the_bucket_and_only_objects_under_exports(synth, env):
    s = synth[env]
    logical, _ = _bucket(s)
    export_role = s.stack.resolve(s.stack.api.roles.export.node.default_child.logical_id)  # type: ignore[union-attr]
    granted = []
    for policy in s.of_type("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if any(a.startswith("s3:") for a in _actions(statement)):
                roles = {r["Ref"] for r in policy["Properties"]["Roles"]}
                granted.append((roles, sorted(_actions(statement)), statement["Resource"]))
    assert granted == [
        (
            {export_role},
            ["s3:GetObject", "s3:PutObject"],
            {"Fn::Join": ["", [{"Fn::GetAtt": [logical, "Arn"]}, "/exports/*"]]},
        )
    ]
    # Its own role: the rest of the users area keeps the Cognito role, without S3.
    fn = _export_function(s)
    role = s.nested_param("users", fn["Role"])
    assert role == {"Fn::GetAtt": [export_role, "Arn"]}


@pytest.mark.parametrize("env", ENVS)
def test_only_the_export_function_is_told_the_bucket(synth, env):
    s = synth[env]
    logical, _ = _bucket(s)
    fn = _export_function(s)
    bucket = s.nested_param("users", fn["Environment"]["Variables"]["EXPORT_BUCKET"])
    assert bucket == {"Ref": logical}
    told = [
        r["Properties"]["Description"]
        for area in s.nested
        for r in s.nested[area][0]["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function"
        and "EXPORT_BUCKET" in r["Properties"]["Environment"]["Variables"]
    ]
    assert [d.split(": ", 1)[0] for d in told] == [EXPORT_ROUTE]


@pytest.mark.parametrize("env", ENVS)
def test_functions_reach_s3_through_a_gateway_endpoint(synth, env):
    s = synth[env]
    (endpoint,) = s.props("AWS::EC2::VPCEndpoint", lambda p: p.get("VpcEndpointType") == "Gateway")
    assert endpoint["ServiceName"]["Fn::Join"][1][-1] == ".s3"
    tables = {t["Ref"] for t in endpoint["RouteTableIds"]}
    assert tables and all("appSubnet" in t for t in tables)
