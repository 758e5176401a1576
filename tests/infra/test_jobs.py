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
