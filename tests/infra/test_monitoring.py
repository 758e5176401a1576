"""Alarms: metric, threshold and SNS action of each; subscribers from configuration."""

from __future__ import annotations

import pytest

ENVS = ["dev", "prod"]


def _alarms(s):
    return {
        v["Properties"]["AlarmName"].split(f"milequest-{s.stack.config.name}-")[1]: v["Properties"]
        for v in s.of_type("AWS::CloudWatch::Alarm").values()
    }


def _topic(s):
    (logical,) = s.of_type("AWS::SNS::Topic")
    return logical


def _metrics(alarm):
    return {m["Id"]: m for m in alarm.get("Metrics", [])}


@pytest.mark.parametrize("env", ENVS)
def test_every_alarm_notifies_the_one_topic(synth, env):
    s = synth[env]
    topic = _topic(s)
    alarms = _alarms(s)
    assert set(alarms) == {
        "SlowQueries",
        "QueryDurationP99",
        "ProxyPoolUse",
        "FailedTransactions",
        "DiskUse",
        "LambdaErrors",
        "LambdaThrottles",
        "Api5xxRate",
        "ApiLatencyP99",
        "ReconciliationDrift",
    }
    for name, alarm in alarms.items():
        assert alarm["AlarmActions"] == [{"Ref": topic}], name
        assert alarm["OKActions"] == [{"Ref": topic}], name


@pytest.mark.parametrize("env", ENVS)
def test_topic_subscribers_come_from_config(synth, env):
    s = synth[env]
    emails = {
        v["Properties"]["Endpoint"]
        for v in s.of_type("AWS::SNS::Subscription").values()
        if v["Properties"]["Protocol"] == "email"
    }
    assert emails == set(s.stack.config.alarm_emails)


@pytest.mark.parametrize("env", ENVS)
def test_slow_query_alarms(synth, env):
    s = synth[env]
    alarms = _alarms(s)
    filt = s.one("AWS::Logs::MetricFilter")["Properties"]
    assert "duration:" in filt["FilterPattern"]
    group = s.resources[filt["LogGroupName"]["Ref"]]["Properties"]["LogGroupName"]
    assert group == f"/aws/rds/instance/milequest-{env}/postgresql"
    transformation = filt["MetricTransformations"][0]
    assert transformation["MetricName"] == alarms["SlowQueries"]["MetricName"] == "SlowQueries"
    assert alarms["SlowQueries"]["Threshold"] == 0
    p99 = alarms["QueryDurationP99"]
    assert (p99["Namespace"], p99["MetricName"], p99["ExtendedStatistic"]) == (
        "MileQuest",
        "QueryDuration",
        "p99",
    )
    assert p99["Threshold"] == 1000
    assert p99["ComparisonOperator"] == "GreaterThanThreshold"


@pytest.mark.parametrize("env", ENVS)
def test_proxy_pool_use_alarm_compares_connections_with_the_allowed_maximum(synth, env):
    alarm = _alarms(synth[env])["ProxyPoolUse"]
    metrics = _metrics(alarm)
    expr = [m for m in metrics.values() if "Expression" in m]
    assert expr and "used" in expr[0]["Expression"] and "allowed" in expr[0]["Expression"]
    assert metrics["used"]["MetricStat"]["Metric"]["MetricName"] == "DatabaseConnections"
    assert (
        metrics["allowed"]["MetricStat"]["Metric"]["MetricName"] == "MaxDatabaseConnectionsAllowed"
    )
    assert metrics["used"]["MetricStat"]["Metric"]["Dimensions"][0]["Name"] == "ProxyName"
    assert alarm["Threshold"] == 80


@pytest.mark.parametrize("env", ENVS)
def test_app_metric_alarms(synth, env):
    alarms = _alarms(synth[env])
    for name in ("FailedTransactions", "ReconciliationDrift"):
        alarm = alarms[name]
        assert alarm["Namespace"] == "MileQuest"
        assert alarm["MetricName"] == name
        assert alarm["Threshold"] == 0
        assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


@pytest.mark.parametrize("env", ENVS)
def test_disk_alarm_fires_below_a_fifth_of_allocated_storage(synth, env):
    s = synth[env]
    alarm = _alarms(s)["DiskUse"]
    assert alarm["MetricName"] == "FreeStorageSpace"
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Threshold"] == 0.2 * s.stack.config.db_allocated_storage_gib * 1024**3


@pytest.mark.parametrize("env", ENVS)
def test_lambda_and_api_alarms(synth, env):
    s = synth[env]
    alarms = _alarms(s)
    assert alarms["LambdaErrors"]["MetricName"] == "Errors"
    assert alarms["LambdaThrottles"]["MetricName"] == "Throttles"
    assert alarms["LambdaThrottles"]["Threshold"] == 0
    rate = _metrics(alarms["Api5xxRate"])
    assert rate["errors"]["MetricStat"]["Metric"]["MetricName"] == "5xx"
    assert rate["requests"]["MetricStat"]["Metric"]["MetricName"] == "Count"
    assert alarms["Api5xxRate"]["Threshold"] == s.stack.config.api_5xx_rate_percent
    latency = alarms["ApiLatencyP99"]
    assert (latency["Namespace"], latency["MetricName"]) == ("AWS/ApiGateway", "Latency")
    assert latency["Threshold"] == s.stack.config.api_latency_p99_ms


@pytest.mark.parametrize("env", ENVS)
def test_dashboard_exists(synth, env):
    dash = synth[env].one("AWS::CloudWatch::Dashboard")["Properties"]
    assert dash["DashboardName"] == f"milequest-{env}"
