"""One factory for every Lambda of the app: route functions, scheduled jobs and the migration
function share runtime, architecture, VPC placement, JSON logs and X-Ray active tracing."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import EnvConfig

RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64


def retention(config: EnvConfig) -> logs.RetentionDays:
    """`log_retention_days` as CloudWatch's enum (only its listed values are valid)."""
    by_days = {
        1: logs.RetentionDays.ONE_DAY,
        3: logs.RetentionDays.THREE_DAYS,
        5: logs.RetentionDays.FIVE_DAYS,
        7: logs.RetentionDays.ONE_WEEK,
        14: logs.RetentionDays.TWO_WEEKS,
        30: logs.RetentionDays.ONE_MONTH,
        60: logs.RetentionDays.TWO_MONTHS,
        90: logs.RetentionDays.THREE_MONTHS,
        180: logs.RetentionDays.SIX_MONTHS,
        365: logs.RetentionDays.ONE_YEAR,
    }
    if config.log_retention_days not in by_days:
        raise ValueError(f"log_retention_days must be one of {sorted(by_days)}")
    return by_days[config.log_retention_days]


@dataclass(frozen=True)
class Placement:
    """Where functions run: the app subnets of the VPC, behind one security group."""

    vpc: ec2.IVpc
    subnets: ec2.SubnetSelection
    security_group: ec2.ISecurityGroup


def make_function(
    scope: Construct,
    cid: str,
    *,
    handler: str,
    description: str,
    code: lambda_.Code,
    layers: list[lambda_.ILayerVersion],
    placement: Placement,
    environment: dict[str, str],
    memory_mb: int,
    timeout: Duration,
    log_group: logs.ILogGroup,
    role: iam.IRole | None = None,
    reserved_concurrency: int | None = None,
) -> lambda_.Function:
    return lambda_.Function(
        scope,
        cid,
        description=description[:256],
        runtime=RUNTIME,
        architecture=ARCHITECTURE,
        handler=handler,
        code=code,
        layers=layers,
        memory_size=memory_mb,
        timeout=timeout,
        role=role,
        vpc=placement.vpc,
        vpc_subnets=placement.subnets,
        security_groups=[placement.security_group],
        environment=environment,
        log_group=log_group,
        logging_format=lambda_.LoggingFormat.JSON,
        tracing=lambda_.Tracing.ACTIVE,
        reserved_concurrent_executions=reserved_concurrency,
    )
