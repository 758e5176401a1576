"""Scheduled jobs: one Lambda + EventBridge rule per module in functions/jobs/.

Each job module defines `handler` and a `SCHEDULE` string constant ("rate(1 hour)",
"cron(0 3 * * ? *)"). Modules are discovered with pkgutil and SCHEDULE is read with `ast`
(no import, so synth does not execute job code); a module without SCHEDULE runs hourly.
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
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import EnvConfig
from infra.database import Database
from infra.network import Network

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
        config: EnvConfig,
        network: Network,
        database: Database,
        role: iam.IRole,
        log_group: logs.ILogGroup,
        environment: dict[str, str],
        code: lambda_.Code,
        deps: lambda_.ILayerVersion,
        jobs: list[Job] | None = None,
    ) -> None:
        super().__init__(scope, cid)
        self.jobs = discover_jobs() if jobs is None else jobs
        self.functions: dict[str, lambda_.Function] = {}
        self.rules: dict[str, events.Rule] = {}
        for job in self.jobs:
            fn = lambda_.Function(
                self,
                job.name,
                description=f"Scheduled job {job.name} ({job.schedule})",
                runtime=lambda_.Runtime.PYTHON_3_12,
                architecture=lambda_.Architecture.ARM_64,
                handler=job.handler,
                code=code,
                layers=[deps],
                memory_size=1024,
                timeout=Duration.minutes(5),
                role=role,
                vpc=network.vpc,
                vpc_subnets=network.app_subnets,
                security_groups=[network.function_sg],
                environment=environment,
                log_group=log_group,
                logging_format=lambda_.LoggingFormat.JSON,
            )
            database.proxy.grant_connect(fn, config.db_app_user)
            rule = events.Rule(
                self,
                f"{job.name}-schedule",
                description=f"Runs {job.module}",
                schedule=events.Schedule.expression(job.schedule),
            )
            rule.add_target(targets.LambdaFunction(fn, retry_attempts=2))
            self.functions[job.name] = fn
            self.rules[job.name] = rule
