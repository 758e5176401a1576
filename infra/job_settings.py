"""Per-job settings beyond the common ones, keyed by job name (the module name in
functions/jobs/): extra environment variables and extra IAM grants, each job on its own role
so one job's rights are not every job's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aws_cdk import aws_iam as iam

from infra.config import FunctionSize
from infra.database import Database


@dataclass(frozen=True)
class JobSettings:
    environment: Callable[[Database], dict[str, str]] = field(default=lambda _db: {})
    statements: Callable[[Database], list[iam.PolicyStatement]] = field(default=lambda _db: [])
    size: FunctionSize = FunctionSize(memory_mb=1024, timeout_s=300)


def _describe_instance(db: Database) -> list[iam.PolicyStatement]:
    # DatabaseAllocatedStorageBytes comes from rds:DescribeDBInstances of this instance only.
    return [
        iam.PolicyStatement(
            actions=["rds:DescribeDBInstances"], resources=[db.instance.instance_arn]
        )
    ]


JOB_SETTINGS: dict[str, JobSettings] = {
    "monitor_database": JobSettings(
        environment=lambda db: {"DB_INSTANCE_IDENTIFIER": db.instance_identifier},
        statements=_describe_instance,
        size=FunctionSize(memory_mb=256, timeout_s=120),
    ),
    # The dispatcher stops claiming deliveries after 50 s (it runs every minute); the timeout
    # leaves room for the send in flight and the commit. Its SES and VAPID grants and settings
    # are in infra/notifications.py.
    "dispatch_notifications": JobSettings(size=FunctionSize(memory_mb=512, timeout_s=120)),
}
DEFAULT_SETTINGS = JobSettings()


def settings_for(job_name: str) -> JobSettings:
    return JOB_SETTINGS.get(job_name, DEFAULT_SETTINGS)
