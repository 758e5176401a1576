"""RDS PostgreSQL 16 behind RDS Proxy, and the deploy-time migration custom resource.

* Storage encrypted with a customer-managed KMS key; TLS forced (rds.force_ssl=1);
  pg_stat_statements; statements slower than 1 s logged and exported to CloudWatch Logs.
* The proxy uses end-to-end IAM authentication (clients sign a token, the proxy signs its own to
  the database), requires TLS and waits at most `proxy_borrow_timeout_s` (< 29 s) for a
  connection. The app's database user is created (with rds_iam) by the migration function.
* Migrations: a Lambda behind a CloudFormation custom resource. Its `MigrationsHash` property is
  a digest of migrations/, so CloudFormation invokes it on every deploy that changes them (and
  `Version` on every release).
"""

from __future__ import annotations

from aws_cdk import CustomResource, Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from constructs import Construct

from infra import bundling
from infra.config import EnvConfig
from infra.network import Network

ENGINE = rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16_6)


class Database(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        config: EnvConfig,
        network: Network,
        code: lambda_.Code,
        deps: lambda_.ILayerVersion,
        version: str,
    ) -> None:
        super().__init__(scope, cid)
        self.config = config
        removal = RemovalPolicy.SNAPSHOT if config.is_prod else RemovalPolicy.DESTROY
        self.key = kms.Key(
            self,
            "Key",
            description=f"MileQuest {config.name} database storage",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY,
        )
        self.parameters = rds.ParameterGroup(
            self,
            "Parameters",
            engine=ENGINE,
            description="MileQuest PostgreSQL parameters",
            parameters={
                "rds.force_ssl": "1",
                "shared_preload_libraries": "pg_stat_statements",
                "log_min_duration_statement": "1000",
                "pg_stat_statements.track": "all",
            },
        )
        self.instance_identifier = f"milequest-{config.name}"
        # Created by us (not by RDS on first export) so its retention is ours and the
        # slow-query metric filter can attach to it at deploy time.
        self.log_group = logs.LogGroup(
            self,
            "PostgresLogs",
            log_group_name=f"/aws/rds/instance/{self.instance_identifier}/postgresql",
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY,
        )
        self.instance = rds.DatabaseInstance(
            self,
            "Instance",
            instance_identifier=self.instance_identifier,
            engine=ENGINE,
            instance_type=ec2.InstanceType(config.db_instance_class),
            vpc=network.vpc,
            vpc_subnets=network.data_subnets,
            security_groups=[network.db_sg],
            credentials=rds.Credentials.from_generated_secret("postgres"),
            database_name=config.db_name,
            parameter_group=self.parameters,
            storage_encrypted=True,
            storage_encryption_key=self.key,
            allocated_storage=config.db_allocated_storage_gib,
            max_allocated_storage=config.db_max_allocated_storage_gib,
            storage_type=rds.StorageType.GP3,
            multi_az=config.db_multi_az,
            publicly_accessible=False,
            iam_authentication=True,
            backup_retention=Duration.days(config.db_backup_retention_days),
            deletion_protection=config.db_deletion_protection,
            removal_policy=removal,
            delete_automated_backups=not config.is_prod,
            cloudwatch_logs_exports=["postgresql"],
            enable_performance_insights=True,
            performance_insight_encryption_key=self.key,
            auto_minor_version_upgrade=True,
            copy_tags_to_snapshot=True,
        )
        self.instance.node.add_dependency(self.log_group)
        self.replica: rds.DatabaseInstanceReadReplica | None = None
        if config.db_read_replica:
            self.replica = rds.DatabaseInstanceReadReplica(
                self,
                "Replica",
                source_database_instance=self.instance,
                instance_type=ec2.InstanceType(config.db_instance_class),
                vpc=network.vpc,
                vpc_subnets=network.data_subnets,
                security_groups=[network.db_sg],
                # Encryption (and its key) is inherited from the source instance.
                publicly_accessible=False,
                parameter_group=self.parameters,
                deletion_protection=config.db_deletion_protection,
                removal_policy=removal,
                enable_performance_insights=True,
                performance_insight_encryption_key=self.key,
                auto_minor_version_upgrade=True,
            )

        # End-to-end IAM: the proxy signs its own token to the database as the app user.
        self.proxy_role = iam.Role(
            self,
            "ProxyRole",
            assumed_by=iam.ServicePrincipal("rds.amazonaws.com"),
            description="RDS Proxy: IAM authentication to the database",
        )
        self.instance.grant_connect(self.proxy_role, config.db_app_user)
        self.proxy = rds.DatabaseProxy(
            self,
            "Proxy",
            proxy_target=rds.ProxyTarget.from_instance(self.instance),
            vpc=network.vpc,
            vpc_subnets=network.data_subnets,
            security_groups=[network.proxy_sg],
            iam_auth=True,
            default_auth_scheme=rds.DefaultAuthScheme.IAM_AUTH,
            require_tls=True,
            borrow_timeout=Duration.seconds(config.proxy_borrow_timeout_s),
            max_connections_percent=config.proxy_max_connections_percent,
            max_idle_connections_percent=50,
            db_proxy_name=f"milequest-{config.name}",
            role=self.proxy_role,
        )
        self.proxy.node.add_dependency(self.proxy_role)  # incl. its policy

        self.migration_fn = lambda_.Function(
            self,
            "MigrationFn",
            description="Applies pending SQL migrations at deploy time",
            runtime=lambda_.Runtime.PYTHON_3_12,
            architecture=lambda_.Architecture.ARM_64,
            handler="functions.deploy.apply_migrations.handler",
            code=code,
            layers=[deps],
            memory_size=512,
            timeout=Duration.minutes(10),
            vpc=network.vpc,
            vpc_subnets=network.app_subnets,
            security_groups=[network.migration_sg],
            environment={
                "MASTER_SECRET_ARN": self.instance.secret.secret_arn,  # type: ignore[union-attr]
                "DB_APP_USER": config.db_app_user,
                "POWERTOOLS_SERVICE_NAME": "milequest-migrations",
                "STAGE": config.name,
                "VERSION": version,
            },
            log_group=logs.LogGroup(
                self,
                "MigrationLogs",
                retention=logs.RetentionDays.ONE_MONTH,
                removal_policy=RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY,
            ),
        )
        self.instance.secret.grant_read(self.migration_fn)  # type: ignore[union-attr]
        self.migration_fn.add_to_role_policy(
            iam.PolicyStatement(actions=["kms:Decrypt"], resources=[self.key.key_arn])
        )
        self.migrations = CustomResource(
            self,
            "Migrations",
            service_token=self.migration_fn.function_arn,
            resource_type="Custom::MileQuestMigrations",
            properties={
                "MigrationsHash": bundling.migrations_hash(),
                "Version": version,
                "AppUser": config.db_app_user,
            },
        )
        self.migrations.node.add_dependency(self.instance)

    @property
    def proxy_endpoint(self) -> str:
        return self.proxy.endpoint
