"""Scheduled jobs: every module in functions/jobs/ gets a function and an EventBridge rule."""

from __future__ import annotations

import pytest

from infra.jobs import DEFAULT_SCHEDULE, discover_jobs

ENVS = ["dev", "prod"]


def test_discovery_reads_schedule_and_defaults_to_hourly(tmp_path):
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "nightly.py").write_text(
        'SCHEDULE = "cron(0 3 * * ? *)"\n\ndef handler(event, context):\n    return None\n'
    )
    (tmp_path / "plain.py").write_text("def handler(event, context):\n    return None\n")
    (tmp_path / "annotated.py").write_text('SCHEDULE: str = "rate(5 minutes)"\nhandler = print\n')
    (tmp_path / "_helpers.py").write_text("def handler(): ...\n")
    (tmp_path / "constants.py").write_text("X = 1\n")
    jobs = {j.name: j for j in discover_jobs(tmp_path, "pkg.jobs")}
    assert set(jobs) == {"nightly", "plain", "annotated"}
    assert jobs["nightly"].schedule == "cron(0 3 * * ? *)"
    assert jobs["annotated"].schedule == "rate(5 minutes)"
    assert jobs["plain"].schedule == DEFAULT_SCHEDULE
    assert jobs["plain"].handler == "pkg.jobs.plain.handler"


@pytest.mark.parametrize("env", ENVS)
def test_each_job_module_has_a_scheduled_function(synth, env):
    s = synth[env]
    jobs = discover_jobs()
    functions = {
        v["Properties"]["Handler"]: (k, v["Properties"])
        for k, v in s.of_type("AWS::Lambda::Function").items()
    }
    rules = [v["Properties"] for v in s.of_type("AWS::Events::Rule").values()]
    assert len(rules) == len(jobs)
    for job in jobs:
        logical, props = functions[job.handler]
        assert props["Runtime"] == "python3.12" and props["Architectures"] == ["arm64"]
        assert "VpcConfig" in props
        (rule,) = [r for r in rules if r["Targets"][0]["Arn"] == {"Fn::GetAtt": [logical, "Arn"]}]
        assert rule["ScheduleExpression"] == job.schedule
        assert rule["State"] == "ENABLED"


@pytest.mark.parametrize("env", ENVS)
def test_each_job_fails_into_the_dlq_on_its_own_role(synth, env):
    s = synth[env]
    (queue,) = s.of_type("AWS::SQS::Queue")
    configs = {
        v["Properties"]["FunctionName"]["Ref"]: v["Properties"]
        for v in s.of_type("AWS::Lambda::EventInvokeConfig").values()
    }
    functions = {
        v["Properties"]["Handler"]: (k, v["Properties"])
        for k, v in s.of_type("AWS::Lambda::Function").items()
    }
    rules = [v["Properties"] for v in s.of_type("AWS::Events::Rule").values()]
    roles = set()
    for job in discover_jobs():
        logical, props = functions[job.handler]
        on_failure = configs[logical]["DestinationConfig"]["OnFailure"]["Destination"]
        assert on_failure == {"Fn::GetAtt": [queue, "Arn"]}
        (rule,) = [r for r in rules if r["Targets"][0]["Arn"] == {"Fn::GetAtt": [logical, "Arn"]}]
        assert rule["Targets"][0]["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [queue, "Arn"]}
        assert props["ReservedConcurrentExecutions"] == 1  # runs never overlap
        roles.add(props["Role"]["Fn::GetAtt"][0])
    assert len(roles) == len(discover_jobs())


def test_monitor_database_may_describe_its_instance_only(tmp_path):
    """A fixture job named like the real one gets the per-job env and grant."""
    from infra.app import new_app
    from infra.config import DEV
    from infra.jobs import Job
    from infra.stack import MileQuestStack
    from tests.infra.conftest import asset_paths

    app = new_app(str(tmp_path))
    stack = MileQuestStack(
        app,
        "Fixture",
        config=DEV,
        version="t",
        jobs=[Job(module="functions.jobs.monitor_database", schedule="rate(5 minutes)")],
        **asset_paths(),
    )
    template = app.synth().get_stack_by_name(stack.stack_name).template
    resources = template["Resources"]
    (fn_logical, fn) = next(
        (k, v)
        for k, v in resources.items()
        if v["Type"] == "AWS::Lambda::Function"
        and v["Properties"]["Handler"] == "functions.jobs.monitor_database.handler"
    )
    variables = fn["Properties"]["Environment"]["Variables"]
    assert variables["DB_INSTANCE_IDENTIFIER"] == "milequest-dev"
    role = fn["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = [
        st
        for p in resources.values()
        if p["Type"] == "AWS::IAM::Policy" and {"Ref": role} in p["Properties"]["Roles"]
        for st in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    (describe,) = [st for st in statements if st["Action"] == "rds:DescribeDBInstances"]
    assert str(describe["Resource"]).endswith(":db:', {'Ref': '" + _instance(resources) + "'}]]}")
    # No other role (routes, other jobs) holds the grant.
    others = [
        p
        for p in resources.values()
        if p["Type"] == "AWS::IAM::Policy"
        and {"Ref": role} not in p["Properties"]["Roles"]
        and "rds:DescribeDBInstances" in str(p["Properties"]["PolicyDocument"])
    ]
    assert others == []
    alarms = [
        v["Properties"]
        for v in resources.values()
        if v["Type"] == "AWS::CloudWatch::Alarm"
        and v["Properties"]["AlarmName"] == "milequest-dev-JobErrors-monitor_database"
    ]
    assert alarms[0]["Dimensions"][0]["Value"] == {"Ref": fn_logical}


def _instance(resources):
    (logical,) = [k for k, v in resources.items() if v["Type"] == "AWS::RDS::DBInstance"]
    return logical
