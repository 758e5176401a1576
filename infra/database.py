"""RDS PostgreSQL behind RDS Proxy, an optional read replica, and deploy-time migrations.

* Engine: PostgreSQL major version pinned in configuration; new instances start from a minor RDS
  still offers, and RDS applies minor upgrades automatically.
* Storage encrypted with a customer-managed KMS key; TLS forced (rds.force_ssl=1);
  pg_stat_statements; statements slower than 1 s logged and exported to CloudWatch Logs;
  `max_connections` set explicitly so the Lambda concurrency budget is exact.
* The proxy uses end-to-end IAM authentication, requires TLS and waits at most
  `proxy_borrow_timeout_s` (below every function timeout) for a connection.
* Read replica (where configured): gp3 with storage autoscaling, logs exported, IAM auth. RDS
  Proxy can only front the writer of an RDS for PostgreSQL instance: a proxy target is an RDS
  instance or an Aurora cluster, and read-only proxy endpoints need an Aurora cluster with
  reader instances ("requests also fail if the target of the proxy is an RDS instance instead of
  an Aurora cluster",
  https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html#rds-proxy-endpoints-reader).
  So readers connect to the replica endpoint itself (DB_READ_HOST) with an IAM token and TLS;
  their number is bounded by the reserved concurrency of the functions that read.
* Migrations at deploy: infra/migrations.py.
* The master secret rotates monthly (single-user rotation; the app never uses it).
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from constructs import Construct

from infra.config import EnvConfig
from infra.functions import FunctionKit, Placement, log_group
from infra.migrations import Migrations
from infra.network import Network


def _postgres_log(instance_identifier: str) -> str:
    """Where RDS exports an instance's PostgreSQL log."""
    return f"/aws/rds/instance/{instance_identifier}/postgresql"


def engine(config: EnvConfig) -> rds.IInstanceEngine:
    version = rds.PostgresEngineVersion.of(config.db_engine_version, config.db_engine_major)
    return rds.DatabaseInstanceEngine.postgres(version=version)


class Database(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        network: Network,
        kit: FunctionKit,
        version: str,
    ) -> None:
        super().__init__(scope, cid)
        self.config = config = kit.config
        removal = RemovalPolicy.SNAPSHOT if config.is_prod else RemovalPolicy.DESTROY
        keep = RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY
        self.key = kms.Key(
            self,
            "Key",
            description=f"MileQuest {config.name} database storage",
            enable_key_rotation=True,
            removal_policy=keep,
        )
        pg_engine = engine(config)
        self.parameters = rds.ParameterGroup(
            self,
            "Parameters",
            engine=pg_engine,
            description="MileQuest PostgreSQL parameters",
            parameters={
                "rds.force_ssl": "1",
                "shared_preload_libraries": "pg_stat_statements",
                "log_min_duration_statement": "1000",
                "pg_stat_statements.track": "all",
                "max_connections": str(config.db_max_connections),
            },
        )
        self.instance_identifier = f"milequest-{config.name}"
        # Created by us (not by RDS on first export) so its retention is ours and the
        # slow-query metric filter can attach to it at deploy time.
        self.log_group = log_group(
            self, "PostgresLogs", config, name=_postgres_log(self.instance_identifier)
        )
        self.instance = rds.DatabaseInstance(
            self,
            "Instance",
            instance_identifier=self.instance_identifier,
            engine=pg_engine,
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
        self.rotation = self.instance.add_rotation_single_user(
            automatically_after=Duration.days(30),
            vpc_subnets=network.app_subnets,
            endpoint=network.endpoints["SecretsManager"],
        )
        self.replica_identifier = f"{self.instance_identifier}-replica"
        self.replica: rds.DatabaseInstanceReadReplica | None = None
        if config.db_read_replica:
            self.replica = self._replica(config, network, removal)

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
        secret = self.instance.secret
        assert secret is not None
        migrations = Migrations(
            self,
            "Migrations",
            kit=kit,
            placement=Placement(network.vpc, network.app_subnets, network.migration_sg),
            secret=secret,
            version=version,
        )
        migrations.node.add_dependency(self.instance)
        self.migration_fn = migrations.function
        self.migration_framework_role = migrations.framework_role
        self.migrations = migrations.resource

    def _replica(
        self,
        config: EnvConfig,
        network: Network,
        removal: RemovalPolicy,
    ) -> rds.DatabaseInstanceReadReplica:
        assert network.replica_sg is not None
        replica_logs = log_group(
            self, "ReplicaLogs", config, name=_postgres_log(self.replica_identifier)
        )
        replica = rds.DatabaseInstanceReadReplica(
            self,
            "Replica",
            instance_identifier=self.replica_identifier,
            source_database_instance=self.instance,
            instance_type=ec2.InstanceType(config.db_instance_class),
            vpc=network.vpc,
            vpc_subnets=network.data_subnets,
            security_groups=[network.replica_sg],
            # Encryption (and its key) is inherited from the source instance.
            publicly_accessible=False,
            parameter_group=self.parameters,
            storage_type=rds.StorageType.GP3,
            max_allocated_storage=config.db_max_allocated_storage_gib,
            cloudwatch_logs_exports=["postgresql"],
            iam_authentication=True,
            deletion_protection=config.db_deletion_protection,
            removal_policy=removal,
            enable_performance_insights=True,
            performance_insight_encryption_key=self.key,
            auto_minor_version_upgrade=True,
            copy_tags_to_snapshot=True,
        )
        replica.node.add_dependency(replica_logs)
        return replica

    @property
    def proxy_endpoint(self) -> str:
        return self.proxy.endpoint

    @property
    def read_host(self) -> str | None:
        """The replica's endpoint for DB_READ_HOST; None without a replica (reads go to the
        primary through the proxy)."""
        return self.replica.db_instance_endpoint_address if self.replica else None

    def grant_connect(self, grantee: iam.IGrantable, *, reads: bool = True) -> None:
        """rds-db:connect as the app user: through the proxy, and to the replica if any."""
        self.proxy.grant_connect(grantee, self.config.db_app_user)
        if reads and self.replica is not None:
            # The read replica's own grant_connect names its ARN where IAM expects the
            # DbiResourceId (rds-db:connect would never match): build the dbuser ARN here.
            cfn = self.replica.node.default_child
            assert isinstance(cfn, rds.CfnDBInstance)
            stack = Stack.of(self)
            iam.Grant.add_to_principal(
                grantee=grantee,
                actions=["rds-db:connect"],
                resource_arns=[
                    f"arn:{stack.partition}:rds-db:{stack.region}:{stack.account}:dbuser:"
                    f"{cfn.attr_dbi_resource_id}/{self.config.db_app_user}"
                ],
            )
