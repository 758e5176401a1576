"""One factory for every Lambda of the app: route functions, scheduled jobs and the migration
function share runtime, architecture, VPC placement, JSON logs and X-Ray active tracing."""

from __future__ import annotations

from dataclasses import dataclass, field

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import EnvConfig, FunctionSize

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


def log_group(
    scope: Construct, cid: str, config: EnvConfig, *, name: str | None = None
) -> logs.LogGroup:
    """A log group kept `log_retention_days`; prod keeps it when the stack goes, dev does not."""
    return logs.LogGroup(
        scope,
        cid,
        log_group_name=name,
        retention=retention(config),
        removal_policy=RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY,
    )


@dataclass(frozen=True)
class Placement:
    """Where functions run: the app subnets of the VPC, behind one security group."""

    vpc: ec2.IVpc
    subnets: ec2.SubnetSelection
    security_group: ec2.ISecurityGroup


@dataclass
class FunctionKit:
    """What every function of the app is built from: the environment, the code asset directory,
    the dependency layer and (unless a function says otherwise) its placement."""

    config: EnvConfig
    code_path: str
    deps: lambda_.ILayerVersion
    placement: Placement
    _code: dict[str, lambda_.Code] = field(default_factory=dict, repr=False)

    def code(self, scope: Construct) -> lambda_.Code:
        # An asset Code object binds to one stack: one instance per (nested) stack, all of the
        # same directory, hence the same asset hash: uploaded once.
        stack = Stack.of(scope).node.path
        if stack not in self._code:
            self._code[stack] = lambda_.Code.from_asset(self.code_path)
        return self._code[stack]


def make_function(
    scope: Construct,
    cid: str,
    kit: FunctionKit,
    *,
    handler: str,
    description: str,
    size: FunctionSize,
    environment: dict[str, str],
    log_group: logs.ILogGroup,
    role: iam.IRole | None = None,
    reserved_concurrency: int | None = None,
    placement: Placement | None = None,
) -> lambda_.Function:
    where = placement or kit.placement
    return lambda_.Function(
        scope,
        cid,
        description=description[:256],
        runtime=RUNTIME,
        architecture=ARCHITECTURE,
        handler=handler,
        code=kit.code(scope),
        layers=[kit.deps],
        memory_size=size.memory_mb,
        timeout=Duration.seconds(size.timeout_s),
        role=role,
        vpc=where.vpc,
        vpc_subnets=where.subnets,
        security_groups=[where.security_group],
        environment=environment,
        log_group=log_group,
        logging_format=lambda_.LoggingFormat.JSON,
        tracing=lambda_.Tracing.ACTIVE,
        reserved_concurrent_executions=reserved_concurrency,
    )


def function_role(scope: Construct, cid: str, description: str) -> iam.Role:
    """An execution role of our functions: ENIs in the VPC and logs (AWS managed policy), and
    metrics in the MileQuest namespace only (PutMetricData has no resource-level permission)."""
    role = iam.Role(
        scope,
        cid,
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        managed_policies=[
            iam.ManagedPolicy.from_aws_managed_policy_name(
                "service-role/AWSLambdaVPCAccessExecutionRole"
            )
        ],
        description=description,
    )
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["cloudwatch:PutMetricData"],
            resources=["*"],
            conditions={"StringEquals": {"cloudwatch:namespace": "MileQuest"}},
        )
    )
    return role
