"""Alarms: metric, threshold and SNS action of each; subscribers from configuration."""

from __future__ import annotations

import pytest

from infra.jobs import discover_jobs

ENVS = ["dev", "prod"]


def _alarms(s):
    return {
        v["Properties"]["AlarmName"].split(f"milequest-{s.stack.config.name}-")[1]: v["Properties"]
        for v in s.of_type("AWS::CloudWatch::Alarm").values()
    }


def _topic(s):
    (logical,) = s.of_type("AWS::SNS::Topic")
    return logical


def _is_the_proxy(s, value):
    """Ref of an AWS::RDS::DBProxy is its name."""
    return s.resources[value["Ref"]]["Type"] == "AWS::RDS::DBProxy"


def _metrics(alarm):
    return {m["Id"]: m for m in alarm.get("Metrics", [])}


def _fires_above(alarm, threshold):
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (threshold, "GreaterThanThreshold")


def _metric_math(s, name, expression):
    """The alarm `name` (asserted to alarm on `expression`) and its metrics by id."""
    alarm = _alarms(s)[name]
    metrics = _metrics(alarm)
    (expr,) = [m for m in metrics.values() if "Expression" in m]
    assert expr["Expression"] == expression
    return alarm, metrics


BASE_ALARMS = {
    "SlowQueries",
    "QueryDurationP99",
    "ProxyPoolUse",
    "ProxyBorrowLatency",
    "FailedTransactions",
    "DatabaseRollbacks",
    "DiskUse",
    "StorageNearMax",
    "DataQualityFindings",
    "NotificationDeliveriesFailed",
    "LambdaErrors",
    "LambdaThrottles",
    "Api5xxRate",
    "ApiLatencyP99",
    "ReconciliationDrift",
    "JobDeadLetters",
}


@pytest.mark.parametrize("env", ENVS)
def test_every_alarm_notifies_the_one_topic(synth, env):
    s = synth[env]
    topic = _topic(s)
    alarms = _alarms(s)
    expected = BASE_ALARMS | {f"JobErrors-{j.name}" for j in discover_jobs()}
    if s.stack.config.db_read_replica:
        expected.add("ReplicaLag")
    assert set(alarms) == expected
    for name, alarm in alarms.items():
        assert alarm["AlarmActions"] == [{"Ref": topic}], name
        assert alarm["OKActions"] == [{"Ref": topic}], name


@pytest.mark.parametrize("env", ENVS)
def test_topic_key_is_customer_managed_and_lets_cloudwatch_use_it(synth, env):
    s = synth[env]
    topic = s.one("AWS::SNS::Topic")["Properties"]
    key_logical = topic["KmsMasterKeyId"]["Fn::GetAtt"][0]
    key = s.resources[key_logical]
    assert key["Type"] == "AWS::KMS::Key"
    assert key["Properties"]["EnableKeyRotation"] is True
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    (cw,) = [
        st for st in statements if st.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}
    ]
    assert cw["Effect"] == "Allow"
    assert set(cw["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    assert cw["Condition"]["StringEquals"]["aws:SourceAccount"] == s.stack.config.account
    assert ":alarm:*" in str(cw["Condition"]["ArnLike"]["aws:SourceArn"])


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
    _fires_above(p99, 1000)


@pytest.mark.parametrize("env", ENVS)
def test_proxy_pool_use_alarm_sums_documented_target_group_metrics(synth, env):
    s = synth[env]
    alarm, metrics = _metric_math(s, "ProxyPoolUse", "100 * used / allowed")
    for mid, name in (
        ("used", "DatabaseConnections"),
        ("allowed", "MaxDatabaseConnectionsAllowed"),
    ):
        stat = metrics[mid]["MetricStat"]
        assert stat["Metric"]["MetricName"] == name
        assert stat["Stat"] == "Sum"  # one datapoint per proxy host
        dims = {d["Name"]: d["Value"] for d in stat["Metric"]["Dimensions"]}
        assert _is_the_proxy(s, dims.pop("ProxyName"))
        assert dims == {"TargetGroup": "default", "TargetRole": "READ_WRITE"}
    assert alarm["Threshold"] == 80


@pytest.mark.parametrize("env", ENVS)
def test_borrow_latency_alarm_is_in_microseconds(synth, env):
    s = synth[env]
    alarm = _alarms(s)["ProxyBorrowLatency"]
    assert alarm["MetricName"] == "DatabaseConnectionsBorrowLatency"
    assert alarm["Statistic"] == "Average"
    (dim,) = alarm["Dimensions"]
    assert dim["Name"] == "ProxyName" and _is_the_proxy(s, dim["Value"])
    assert alarm["Threshold"] == s.stack.config.proxy_borrow_latency_ms * 1000


@pytest.mark.parametrize("env", ENVS)
def test_app_metric_alarms(synth, env):
    alarms = _alarms(synth[env])
    for name in ("FailedTransactions", "ReconciliationDrift"):
        alarm = alarms[name]
        assert alarm["Namespace"] == "MileQuest"
        assert alarm["MetricName"] == name
        _fires_above(alarm, 0)


@pytest.mark.parametrize("env", ENVS)
def test_disk_alarm_is_percent_used_of_the_current_allocation(synth, env):
    s = synth[env]
    alarm, metrics = _metric_math(s, "DiskUse", "100 * (1 - free / allocated)")
    free = metrics["free"]["MetricStat"]["Metric"]
    assert (free["Namespace"], free["MetricName"]) == ("AWS/RDS", "FreeStorageSpace")
    (dim,) = free["Dimensions"]
    assert dim["Name"] == "DBInstanceIdentifier"
    assert (
        s.resources[dim["Value"]["Ref"]]["Properties"]["DBInstanceIdentifier"] == f"milequest-{env}"
    )
    allocated = metrics["allocated"]["MetricStat"]["Metric"]
    assert (allocated["Namespace"], allocated["MetricName"]) == (
        "MileQuest",
        "DatabaseAllocatedStorageBytes",
    )
    assert "Dimensions" not in allocated
    _fires_above(alarm, 80)


@pytest.mark.parametrize("env", ENVS)
def test_storage_alarm_fires_near_the_autoscaling_maximum(synth, env):
    s = synth[env]
    alarm = _alarms(s)["StorageNearMax"]
    assert alarm["MetricName"] == "DatabaseAllocatedStorageBytes"
    max_bytes = s.stack.config.db_max_allocated_storage_gib * 1024**3
    assert alarm["Threshold"] == 0.9 * max_bytes
    ((_, db),) = [
        (k, v)
        for k, v in s.of_type("AWS::RDS::DBInstance").items()
        if "SourceDBInstanceIdentifier" not in v["Properties"]
    ]
    assert (
        int(db["Properties"]["MaxAllocatedStorage"]) == s.stack.config.db_max_allocated_storage_gib
    )


@pytest.mark.parametrize("env", ENVS)
def test_job_metric_alarms_have_no_dimensions(synth, env):
    alarms = _alarms(synth[env])
    for name in ("DatabaseRollbacks", "DataQualityFindings", "NotificationDeliveriesFailed"):
        alarm = alarms[name]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("MileQuest", name)
        assert "Dimensions" not in alarm
        _fires_above(alarm, 0)


def test_replica_lag_alarm_in_prod_only(synth):
    s = synth["prod"]
    lag = _alarms(s)["ReplicaLag"]
    assert lag["MetricName"] == "ReplicaLag"
    (dim,) = lag["Dimensions"]
    assert dim["Name"] == "DBInstanceIdentifier"
    replica = s.resources[dim["Value"]["Ref"]]["Properties"]
    assert replica["DBInstanceIdentifier"] == "milequest-prod-replica"
    assert lag["Threshold"] == synth["prod"].stack.config.replica_lag_s
    assert "ReplicaLag" not in _alarms(synth["dev"])


@pytest.mark.parametrize("env", ENVS)
def test_each_job_has_an_error_alarm_and_the_dlq_a_depth_alarm(synth, env):
    s = synth[env]
    alarms = _alarms(s)
    for job in discover_jobs():
        alarm = alarms[f"JobErrors-{job.name}"]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Errors")
        (dim,) = alarm["Dimensions"]
        fn = s.resources[dim["Value"]["Ref"]]["Properties"]
        assert fn["Handler"] == job.handler
        assert alarm["Threshold"] == 0
    dlq = alarms["JobDeadLetters"]
    assert dlq["MetricName"] == "ApproximateNumberOfMessagesVisible"
    (dim,) = dlq["Dimensions"]
    queue = dim["Value"]["Fn::GetAtt"][0]
    assert s.resources[queue]["Type"] == "AWS::SQS::Queue"


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
