"""Notifications infrastructure: the VAPID secret, the SES sender, and which functions get
their settings and rights (infra/notifications.py)."""

from __future__ import annotations

import json

import pytest

from functions.registry import ROUTES
from infra.notifications import DISPATCH_JOB

ENVS = ["dev", "prod"]
VAPID_KEYS = {"VAPID_SECRET_ARN", "VAPID_SUBJECT", "EMAIL_FROM"}


def _secret_logical(s):
    (logical,) = s.of_type("AWS::SecretsManager::Secret").keys() - _master_secrets(s)
    return logical


def _master_secrets(s):
    return {
        k
        for k, v in s.of_type("AWS::SecretsManager::Secret").items()
        if "GenerateSecretString" in v["Properties"]
    }


def _dispatcher(s):
    fn = s.stack.jobs.functions[DISPATCH_JOB]
    logical = s.stack.resolve(fn.node.default_child.logical_id)  # type: ignore[union-attr]
    return s.resources[logical]["Properties"]


def _area_functions(s, area):
    template, _ = s.nested[area]
    return [
        v["Properties"]
        for v in template["Resources"].values()
        if v["Type"] == "AWS::Lambda::Function"
    ]


def _statements(s):
    """(role logical ids, statement) of every inline policy of the main stack."""
    for policy in s.of_type("AWS::IAM::Policy").values():
        roles = {r["Ref"] for r in policy["Properties"]["Roles"]}
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            yield roles, statement


def _actions(statement):
    actions = statement["Action"]
    return {actions} if isinstance(actions, str) else set(actions)


def _role_logical(s, role):
    return s.stack.resolve(role.node.default_child.logical_id)


@pytest.mark.parametrize("env", ENVS)
def test_vapid_secret_is_an_empty_placeholder_never_a_generated_value(synth, env):
    s = synth[env]
    props = s.resources[_secret_logical(s)]["Properties"]
    assert "GenerateSecretString" not in props
    assert json.loads(props["SecretString"]) == {"privateKey": "", "publicKey": ""}


@pytest.mark.parametrize("env", ENVS)
def test_only_the_dispatcher_and_notifications_route_role_read_the_vapid_secret(synth, env):
    s = synth[env]
    secret = {"Ref": _secret_logical(s)}
    readers: set[str] = set()
    for roles, statement in _statements(s):
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        if secret in resources:
            assert _actions(statement) <= {
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
            }
            readers |= roles
    assert readers == {
        _role_logical(s, s.stack.api.roles.notifications),
        _role_logical(s, s.stack.jobs.roles[DISPATCH_JOB]),
    }


@pytest.mark.parametrize("env", ENVS)
def test_only_the_dispatcher_sends_email_and_only_as_the_sender_domain(synth, env):
    s = synth[env]
    config = s.stack.config
    dispatcher_role = _role_logical(s, s.stack.jobs.roles[DISPATCH_JOB])
    ses = [
        (roles, st)
        for roles, st in _statements(s)
        if any(a.startswith("ses:") for a in _actions(st))
    ]
    assert all(roles == {dispatcher_role} for roles, _ in ses)
    by_action = {a: st["Resource"] for _, st in ses for a in _actions(st)}
    identity = {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                f":ses:{config.region}:{config.account}:identity/{config.email_domain}",
            ],
        ]
    }
    assert by_action == {
        "ses:SendEmail": identity,
        "ses:SendRawEmail": identity,
        # No resource type in the SES v2 authorization reference: account-wide.
        "ses:GetSuppressedDestination": "*",
    }
    (ident,) = s.of_type("AWS::SES::EmailIdentity").values()
    assert ident["Properties"]["EmailIdentity"] == config.email_domain


@pytest.mark.parametrize("env", ENVS)
def test_dispatcher_has_the_sender_settings_and_outlives_its_50_second_run(synth, env):
    s = synth[env]
    config = s.stack.config
    props = _dispatcher(s)
    assert props["Timeout"] >= 60
    variables = props["Environment"]["Variables"]
    assert variables["VAPID_SECRET_ARN"] == {"Ref": _secret_logical(s)}
    assert variables["VAPID_SUBJECT"] == f"mailto:{config.email_sender}"
    assert variables["EMAIL_FROM"] == f"Mile Quest <{config.email_sender}>"
    (dist,) = s.of_type("AWS::CloudFront::Distribution")
    assert variables["PUBLIC_BASE_URL"] == {
        "Fn::Join": ["", ["https://", {"Fn::GetAtt": [dist, "DomainName"]}]]
    }


@pytest.mark.parametrize("env", ENVS)
def test_area_settings_go_to_the_areas_that_use_them(synth, env):
    s = synth[env]
    (dist,) = s.of_type("AWS::CloudFront::Distribution")
    for area in {r.area for r in ROUTES}:
        for props in _area_functions(s, area):
            variables = props["Environment"]["Variables"]
            if area == "notifications":
                assert VAPID_KEYS <= set(variables)
                secret = s.nested_param(area, variables["VAPID_SECRET_ARN"])
                assert secret == {"Ref": _secret_logical(s)}
            else:
                assert not VAPID_KEYS & set(variables), area
            if area in ("notifications", "shares"):
                # https:// + the distribution's domain, passed in as a nested stack parameter.
                prefix, domain = variables["PUBLIC_BASE_URL"]["Fn::Join"][1]
                assert prefix == "https://"
                assert s.nested_param(area, domain) == {"Fn::GetAtt": [dist, "DomainName"]}
            else:
                assert "PUBLIC_BASE_URL" not in variables, area


@pytest.mark.parametrize("env", ENVS)
def test_permanent_delivery_failures_are_alarmed_to_the_topic(synth, env):
    s = synth[env]
    (alarm,) = s.props(
        "AWS::CloudWatch::Alarm", lambda p: p.get("MetricName") == "NotificationDeliveriesFailed"
    )
    assert alarm["Namespace"] == "MileQuest"
    (topic,) = s.of_type("AWS::SNS::Topic")
    assert alarm["AlarmActions"] == [{"Ref": topic}]
