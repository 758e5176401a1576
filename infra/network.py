"""VPC: private subnets with egress for the functions, isolated subnets for the database.

Security groups allow exactly function -> proxy -> database (plus the migration function,
which talks to the database directly with the master secret, and, where a read replica exists,
function -> replica: RDS Proxy can only front the writer of an RDS instance). Interface
endpoints keep AWS API traffic (Secrets Manager, CloudWatch Logs/Monitoring, SES, Cognito) off
the NAT gateway, and a gateway endpoint S3's (the data exports).
"""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from infra.config import EnvConfig
from infra.functions import Placement, log_group

# Interface endpoints; Cognito-idp endpoints exist in most (not all) regions.
_ENDPOINTS: dict[str, ec2.InterfaceVpcEndpointAwsService] = {
    "SecretsManager": ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    "Logs": ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    "Monitoring": ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
    "Ses": ec2.InterfaceVpcEndpointAwsService.EMAIL,
}
_COGNITO_REGIONS = frozenset(
    {
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-south-1",
        "ca-central-1",
        "sa-east-1",
    }
)


class Network(Construct):
    def __init__(self, scope: Construct, cid: str, *, config: EnvConfig) -> None:
        super().__init__(scope, cid)
        self.vpc = _vpc(self, config)
        flow_logs = log_group(self, "FlowLogs", config)
        self.vpc.add_flow_log(
            "FlowLog", destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs)
        )
        self.app_subnets = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
        self.data_subnets = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)

        self.function_sg = self._group("FunctionSg", "Route and job functions", outbound=True)
        self.migration_sg = self._group(
            "MigrationSg", "Deploy-time migration function", outbound=True
        )
        self.proxy_sg = self._group("ProxySg", "RDS Proxy")
        self.db_sg = self._group("DatabaseSg", "RDS PostgreSQL")
        pg = ec2.Port.tcp(5432)
        self.proxy_sg.add_ingress_rule(self.function_sg, pg, "functions to proxy")
        self.proxy_sg.add_egress_rule(self.db_sg, pg, "proxy to database")
        self.db_sg.add_ingress_rule(self.proxy_sg, pg, "proxy to database")
        self.db_sg.add_ingress_rule(self.migration_sg, pg, "migrations to database")
        self.replica_sg: ec2.SecurityGroup | None = None
        if config.db_read_replica:
            self.replica_sg = self._group("ReplicaSg", "RDS PostgreSQL read replica")
            self.replica_sg.add_ingress_rule(self.function_sg, pg, "functions to replica")
        self.placement = Placement(
            vpc=self.vpc, subnets=self.app_subnets, security_group=self.function_sg
        )

        # Gateway endpoint (no charge): the export function's writes to S3 skip the NAT gateway.
        self.s3_endpoint = self.vpc.add_gateway_endpoint(
            "S3", service=ec2.GatewayVpcEndpointAwsService.S3, subnets=[self.app_subnets]
        )

        self.endpoint_sg = self._group("EndpointSg", "Interface VPC endpoints")
        for peer in (self.function_sg, self.migration_sg):
            self.endpoint_sg.add_ingress_rule(peer, ec2.Port.tcp(443), "HTTPS to AWS APIs")
        endpoints = dict(_ENDPOINTS)
        if config.region in _COGNITO_REGIONS:
            endpoints["CognitoIdp"] = ec2.InterfaceVpcEndpointAwsService("cognito-idp")
        self.endpoints: dict[str, ec2.InterfaceVpcEndpoint] = {}
        for name, service in endpoints.items():
            self.endpoints[name] = self.vpc.add_interface_endpoint(
                name,
                service=service,
                subnets=self.app_subnets,
                security_groups=[self.endpoint_sg],
                private_dns_enabled=True,
                open=False,
            )

    def _group(self, cid: str, description: str, *, outbound: bool = False) -> ec2.SecurityGroup:
        """Security groups start closed; only function groups may open outbound connections."""
        return ec2.SecurityGroup(
            self, cid, vpc=self.vpc, description=description, allow_all_outbound=outbound
        )


def _vpc(scope: Construct, config: EnvConfig) -> ec2.Vpc:
    """Public, app (private with egress) and data (isolated) subnets in the pinned zones."""
    return ec2.Vpc(
        scope,
        "Vpc",
        ip_addresses=ec2.IpAddresses.cidr(config.vpc_cidr),
        # Pinned zones: no lookup at synth, no placeholder `dummy1a` zones.
        availability_zones=list(config.availability_zones),
        nat_gateways=config.nat_gateways,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24),
            ec2.SubnetConfiguration(
                name="app", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=20
            ),
            ec2.SubnetConfiguration(
                name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
            ),
        ],
    )
