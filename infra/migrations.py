"""Deploy-time migrations: a Lambda behind the construct library's custom resource Provider.

The resource's properties carry a hash of migrations/ and the release version, so
CloudFormation sends an Update (and the migrations run) whenever either changes. The Provider's
framework function invokes the migration function synchronously, turns its return value
(`PhysicalResourceId`, `Data`) or its error into the answer to CloudFormation, and so the
migration code never speaks the cfn-response protocol itself.

Bounds, so a stuck migration cannot hang a deploy:
* the migration function's own timeout (10 min): the framework gets an error, answers FAILED;
* `PGOPTIONS` gives every migration session a lock_timeout and statement_timeout, so DDL that
  cannot get its lock fails instead of queueing every query behind it;
* the custom resource's `ServiceTimeout` (12 min) if no answer comes at all. The Provider's own
  `total_timeout` is not used: it bounds the asynchronous is-complete waiter only, and CDK
  rejects it without an `is_complete_handler` ("ProviderProps.totalTimeout",
  https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources.ProviderProps.html);
  the migrations finish within one invocation.
"""

from __future__ import annotations

from aws_cdk import CustomResource, Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import custom_resources as cr
from constructs import Construct

from infra import bundling
from infra.config import FunctionSize
from infra.functions import FunctionKit, Placement, log_group, make_function

MIGRATION_SIZE = FunctionSize(memory_mb=512, timeout_s=600)
# CloudFormation gives up on the custom resource after this (the function's own timeout plus a
# margin for the framework's answer), rather than after the default 3600 s.
MIGRATION_SERVICE_TIMEOUT = Duration.minutes(12)
# Applied by libpq to every migration connection: a DDL statement that waits for a lock longer
# than lock_timeout fails (and the deploy rolls back) instead of stalling every query queued
# behind its lock.
MIGRATION_PGOPTIONS = (
    "-c lock_timeout=5s -c statement_timeout=300s -c idle_in_transaction_session_timeout=60s"
)


class Migrations(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        kit: FunctionKit,
        placement: Placement,
        secret: secretsmanager.ISecret,
        version: str,
    ) -> None:
        super().__init__(scope, cid)
        config = kit.config
        self.function = make_function(
            self,
            "MigrationFn",
            kit,
            description="Applies pending SQL migrations at deploy time",
            handler="functions.deploy.apply_migrations.handler",
            placement=placement,  # its own security group: the one let into the database
            size=MIGRATION_SIZE,
            environment={
                "MASTER_SECRET_ARN": secret.secret_arn,
                "DB_APP_USER": config.db_app_user,
                "PGOPTIONS": MIGRATION_PGOPTIONS,
                "POWERTOOLS_SERVICE_NAME": "milequest-migrations",
                "STAGE": config.name,
                "VERSION": version,
            },
            log_group=log_group(self, "MigrationLogs", config),
            reserved_concurrency=1,  # two deploys never migrate at once
        )
        secret.grant_read(self.function)

        # The framework function's own role: write its own log group, invoke the migration
        # function (granted by the Provider), nothing else; no managed policy.
        framework_logs = log_group(self, "ProviderLogs", config)
        self.framework_role = iam.Role(
            self,
            "ProviderRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Custom resource provider framework of the deploy-time migrations",
        )
        framework_logs.grant_write(self.framework_role)
        self.provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=self.function,
            framework_on_event_role=self.framework_role,
            log_group=framework_logs,
            # Its lines (the events and answers) are what a failed deploy is debugged from.
            framework_lambda_logging_level=lambda_.ApplicationLogLevel.INFO,
        )
        self.resource = CustomResource(
            self,
            "Migrations",
            service_token=self.provider.service_token,
            resource_type="Custom::MileQuestMigrations",
            service_timeout=MIGRATION_SERVICE_TIMEOUT,
            properties={
                "MigrationsHash": bundling.migrations_hash(),
                "Version": version,
                "AppUser": config.db_app_user,
            },
        )
