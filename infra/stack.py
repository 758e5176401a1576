"""One stack per environment; route functions live in one nested stack per area."""

from __future__ import annotations

from aws_cdk import CfnOutput, Environment, Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from functions.registry import ROUTES
from infra import nag
from infra.api import Api
from infra.auth import Auth
from infra.cdn import Cdn
from infra.config import EnvConfig
from infra.database import Database
from infra.edge import EdgeStack
from infra.exports import Exports
from infra.function_roles import EXPORT_ROUTE
from infra.functions import ARCHITECTURE, RUNTIME, FunctionKit
from infra.jobs import Job, Jobs
from infra.monitoring import Monitoring
from infra.network import Network
from infra.notifications import DISPATCH_JOB, Notifications
from milequest.api.routing import Route


class MileQuestStack(Stack):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        config: EnvConfig,
        code_path: str,
        deps_path: str,
        version: str,
        routes: tuple[Route, ...] = ROUTES,
        jobs: list[Job] | None = None,
    ) -> None:
        super().__init__(
            scope,
            cid,
            env=Environment(account=config.account, region=config.region),
            description=f"MileQuest backend ({config.name})",
            cross_region_references=True,  # the WAF web ACL lives in us-east-1
        )
        self.edge = EdgeStack(scope, f"{config.stack_name}-edge", config=config)
        self.config = config
        self.deps = lambda_.LayerVersion(
            self,
            "Dependencies",
            code=lambda_.Code.from_asset(deps_path),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="MileQuest runtime dependencies (pip, manylinux2014_aarch64, cp312)",
        )
        self.network = Network(self, "Network", config=config)
        kit = FunctionKit(config, code_path, self.deps, self.network.placement)
        self.auth = Auth(self, "Auth", config=config)
        self.notifications = Notifications(self, "Notifications", config=config)
        self.database = Database(self, "Database", network=self.network, kit=kit, version=version)
        self.api = Api(
            self,
            "Api",
            kit=kit,
            database=self.database,
            auth=self.auth,
            version=version,
            routes=routes,
        )
        self.jobs = Jobs(self, "Jobs", api=self.api, database=self.database, jobs=jobs)
        # Functions must not run before the schema they expect exists.
        for area in self.api.areas.values():
            area.node.add_dependency(self.database.migrations)
        for fn in self.jobs.functions.values():
            fn.node.add_dependency(self.database.migrations)
        self.cdn = Cdn(
            self,
            "Cdn",
            config=config,
            http_api=self.api.http_api,
            web_acl_arn=self.edge.web_acl.attr_arn,
            routes=routes,
        )
        self.notifications.wire(
            area_functions={
                name: list(area.functions.values()) for name, area in self.api.areas.items()
            },
            route_role=self.api.roles.notifications,
            dispatcher=self.jobs.functions.get(DISPATCH_JOB),
            public_base_url=config.public_base_url
            or f"https://{self.cdn.distribution.distribution_domain_name}",
        )
        self.exports = Exports(self, "Exports", config=config, access_logs=self.cdn.log_bucket)
        if EXPORT_ROUTE in self.api.functions:
            self.exports.wire(self.api.functions[EXPORT_ROUTE], self.api.roles.export)
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            config=config,
            database=self.database,
            http_api=self.api.http_api,
            jobs=self.jobs,
        )
        CfnOutput(self, "ApiUrl", value=self.api.url)
        CfnOutput(self, "CdnUrl", value=f"https://{self.cdn.distribution.distribution_domain_name}")
        CfnOutput(self, "UserPoolId", value=self.auth.user_pool.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=self.auth.client.user_pool_client_id)
        CfnOutput(self, "ProxyEndpoint", value=self.database.proxy_endpoint)
        nag.suppress(self)
