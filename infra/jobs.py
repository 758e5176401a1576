"""Scheduled jobs: one Lambda + EventBridge rule per module in functions/jobs/.

Each job module defines `handler` and a `SCHEDULE` string constant ("rate(1 hour)",
"cron(0 3 * * ? *)"). Modules are discovered with pkgutil and SCHEDULE is read with `ast`
(no import, so synth does not execute job code); a module without SCHEDULE runs hourly.

EventBridge invokes jobs asynchronously. A run that still fails after Lambda's retries goes to
the jobs' dead-letter queue (Lambda's on-failure destination), as does an event EventBridge
could not deliver (the target's DLQ); each job has an error alarm and the queue a depth alarm
(infra/monitoring.py). Reserved concurrency 1 keeps runs of one job from overlapping.
"""

from __future__ import annotations

import ast
import pkgutil
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.api import Api
from infra.database import Database
from infra.functions import function_role, make_function
from infra.job_settings import settings_for

JOBS_DIR = Path(__file__).resolve().parents[1] / "functions" / "jobs"
DEFAULT_SCHEDULE = "rate(1 hour)"


@dataclass(frozen=True)
class Job:
    module: str  # e.g. "functions.jobs.reconcile_progress"
    schedule: str

    @property
    def name(self) -> str:
        return self.module.rsplit(".", 1)[-1]

    @property
    def handler(self) -> str:
        return f"{self.module}.handler"


def _schedule_of(path: Path) -> str:
    tree = ast.parse(path.read_text())
    for node in tree.body:
        target: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        value = getattr(node, "value", None)
        if (
            isinstance(target, ast.Name)
            and target.id == "SCHEDULE"
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            return value.value
    return DEFAULT_SCHEDULE


def discover_jobs(directory: Path = JOBS_DIR, package: str = "functions.jobs") -> list[Job]:
    jobs = []
    for info in sorted(pkgutil.iter_modules([str(directory)]), key=lambda m: m.name):
        if info.ispkg or info.name.startswith("_"):
            continue
        path = directory / f"{info.name}.py"
        source = path.read_text() if path.exists() else ""
        if "handler" not in source:
            continue
        jobs.append(Job(module=f"{package}.{info.name}", schedule=_schedule_of(path)))
    return jobs


class Jobs(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        api: Api,
        database: Database,
        jobs: list[Job] | None = None,
    ) -> None:
        super().__init__(scope, cid)
        # Jobs are built like route functions: the same kit, environment and log group.
        kit, environment, log_group = api.kit, api.environment, api.function_logs
        self.jobs = discover_jobs() if jobs is None else jobs
        self.functions: dict[str, lambda_.Function] = {}
        self.roles: dict[str, iam.Role] = {}
        self.rules: dict[str, events.Rule] = {}
        self.dlq = sqs.Queue(
            self,
            "DeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        for job in self.jobs:
            settings = settings_for(job.name)
            role = function_role(self, f"{job.name}-role", f"MileQuest job {job.name}")
            for statement in settings.statements(database):
                role.add_to_policy(statement)
            fn = make_function(
                self,
                job.name,
                kit,
                description=f"Scheduled job {job.name} ({job.schedule})",
                handler=job.handler,
                size=settings.size,
                role=role,
                environment={**environment, **settings.environment(database)},
                log_group=log_group,
                reserved_concurrency=kit.config.job_concurrency,
            )
            fn.configure_async_invoke(
                on_failure=destinations.SqsDestination(self.dlq),
                retry_attempts=2,
                max_event_age=Duration.hours(1),
            )
            database.grant_connect(fn)
            rule = events.Rule(
                self,
                f"{job.name}-schedule",
                description=f"Runs {job.module}",
                schedule=events.Schedule.expression(job.schedule),
            )
            rule.add_target(
                targets.LambdaFunction(fn, retry_attempts=2, dead_letter_queue=self.dlq)
            )
            self.functions[job.name] = fn
            self.roles[job.name] = role
            self.rules[job.name] = rule
