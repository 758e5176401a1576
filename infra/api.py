"""HTTP API: one Lambda per registered route, generated from functions.registry.ROUTES.

Routes are grouped into one nested stack per area so no stack approaches CloudFormation's
500-resource limit as routes are added. Functions share two IAM roles (with / without Cognito
admin rights) and one log group, which keeps the per-route cost at four resources (function,
invoke permission, integration, route).

The JWT authorizer is a plain `HttpAuthorizer` of type JWT (what `HttpJwtAuthorizer` /
`HttpUserPoolAuthorizer` create lazily on first use) declared once in the parent stack, so that
routes in every nested stack attach to the same authorizer.
"""

from __future__ import annotations

import json
from collections import defaultdict

from aws_cdk import Duration, NestedStack, RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from functions.registry import ROUTES
from infra.auth import Auth
from infra.config import PROFILES, EnvConfig
from infra.database import Database
from infra.network import Network
from milequest.api.routing import Route

# Areas whose handlers call Cognito's admin APIs.
COGNITO_ADMIN_AREAS = frozenset({"auth", "users"})
COGNITO_ADMIN_ACTIONS = [
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminDisableUser",
]
_ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "latency": "$context.responseLatency",
        "integrationLatency": "$context.integrationLatency",
        "integrationError": "$context.integrationErrorMessage",
        "authorizerError": "$context.authorizer.error",
        "responseLength": "$context.responseLength",
    }
)


def function_environment(
    config: EnvConfig, database: Database, auth: Auth, version: str
) -> dict[str, str]:
    """What milequest.config.Settings reads in Lambda."""
    return {
        "DB_HOST": database.proxy_endpoint,
        "DB_PORT": "5432",
        "DB_NAME": config.db_name,
        "DB_USER": config.db_app_user,
        "DB_IAM_AUTH": "true",
        "DB_MODE": "single",
        "COGNITO_USER_POOL_ID": auth.user_pool.user_pool_id,
        "COGNITO_CLIENT_ID": auth.client.user_pool_client_id,
        "ROUTE_PROVIDER": config.route_provider,
        "STAGE": config.name,
        "VERSION": version,
        "POWERTOOLS_SERVICE_NAME": "milequest",
        "POWERTOOLS_METRICS_NAMESPACE": "MileQuest",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


class FunctionRoles(Construct):
    """Shared execution roles: one per route class instead of one per function."""

    def __init__(self, scope: Construct, cid: str, *, database: Database, auth: Auth) -> None:
        super().__init__(scope, cid)
        basic = iam.ManagedPolicy.from_aws_managed_policy_name(
            "service-role/AWSLambdaVPCAccessExecutionRole"
        )
        principal = iam.ServicePrincipal("lambda.amazonaws.com")
        self.default = iam.Role(
            self,
            "Standard",
            assumed_by=principal,
            managed_policies=[basic],
            description="MileQuest route/job functions",
        )
        self.cognito = iam.Role(
            self,
            "CognitoAdmin",
            assumed_by=principal,
            managed_policies=[basic],
            description="MileQuest route functions that call Cognito admin APIs",
        )
        self.cognito.add_to_policy(
            iam.PolicyStatement(
                actions=COGNITO_ADMIN_ACTIONS, resources=[auth.user_pool.user_pool_arn]
            )
        )
        for role in (self.default, self.cognito):
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=["cloudwatch:PutMetricData"],
                    resources=["*"],
                    conditions={"StringEquals": {"cloudwatch:namespace": "MileQuest"}},
                )
            )

    def for_route(self, route: Route) -> iam.Role:
        return self.cognito if route.area in COGNITO_ADMIN_AREAS else self.default


class AreaRoutes(NestedStack):
    """The functions, integrations and routes of one area."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        routes: list[Route],
        api: apigw.IHttpApi,
        authorizer_id: str,
        environment: dict[str, str],
        network: Network,
        database: Database,
        roles: FunctionRoles,
        log_group: logs.ILogGroup,
        code_path: str,
        deps: lambda_.ILayerVersion,
        config: EnvConfig,
    ) -> None:
        super().__init__(scope, cid, description=f"MileQuest {cid}")
        # An asset Code object binds to one stack: each nested stack gets its own instance
        # (same directory, hence the same asset hash: uploaded once).
        code = lambda_.Code.from_asset(code_path)
        authorizer = apigw.HttpAuthorizer.from_http_authorizer_attributes(
            self, "Authorizer", authorizer_id=authorizer_id, authorizer_type="JWT"
        )
        self.functions: dict[str, lambda_.Function] = {}
        self.public_routes: list[apigw.HttpRoute] = []
        for route in routes:
            size = PROFILES[route.profile]
            fn = lambda_.Function(
                self,
                route.name,
                description=f"{route.key}: {route.summary}"[:256],
                runtime=lambda_.Runtime.PYTHON_3_12,
                architecture=lambda_.Architecture.ARM_64,
                handler=route.handler,
                code=code,
                layers=[deps],
                memory_size=size.memory_mb,
                timeout=Duration.seconds(size.timeout_s),
                role=roles.for_route(route),
                vpc=network.vpc,
                vpc_subnets=network.app_subnets,
                security_groups=[network.function_sg],
                environment=environment,
                log_group=log_group,
                logging_format=lambda_.LoggingFormat.JSON,
                tracing=lambda_.Tracing.DISABLED,
            )
            if route.uses_db:
                database.proxy.grant_connect(fn, config.db_app_user)
            http_route = apigw.HttpRoute(
                self,
                f"{route.name}-route",
                http_api=api,
                route_key=apigw.HttpRouteKey.with_(route.path, apigw.HttpMethod(route.method)),
                integration=integrations.HttpLambdaIntegration(f"{route.name}-integration", fn),
                authorizer=authorizer if route.auth else apigw.HttpNoneAuthorizer(),
            )
            self.functions[route.key] = fn
            if not route.auth:
                self.public_routes.append(http_route)


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        config: EnvConfig,
        network: Network,
        database: Database,
        auth: Auth,
        code_path: str,
        deps: lambda_.ILayerVersion,
        version: str,
        routes: tuple[Route, ...] = ROUTES,
    ) -> None:
        super().__init__(scope, cid)
        removal = RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY
        self.http_api = apigw.HttpApi(
            self,
            "HttpApi",
            api_name=f"milequest-{config.name}",
            create_default_stage=False,
        )
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=removal,
        )
        self.stage = apigw.HttpStage(
            self,
            "Stage",
            http_api=self.http_api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigw.ThrottleSettings(
                rate_limit=config.api_throttle_rate, burst_limit=config.api_throttle_burst
            ),
        )
        cfn_stage = self.stage.node.default_child
        assert isinstance(cfn_stage, apigw.CfnStage)
        cfn_stage.access_log_settings = apigw.CfnStage.AccessLogSettingsProperty(
            destination_arn=self.access_logs.log_group_arn, format=_ACCESS_LOG_FORMAT
        )
        region = Stack.of(self).region
        self.authorizer = apigw.HttpAuthorizer(
            self,
            "JwtAuthorizer",
            http_api=self.http_api,
            authorizer_name="cognito-jwt",
            type=apigw.HttpAuthorizerType.JWT,
            identity_source=["$request.header.Authorization"],
            jwt_issuer=(
                f"https://cognito-idp.{region}.amazonaws.com/{auth.user_pool.user_pool_id}"
            ),
            jwt_audience=[auth.client.user_pool_client_id],
        )
        self.roles = FunctionRoles(self, "Roles", database=database, auth=auth)
        self.function_logs = logs.LogGroup(
            self,
            "FunctionLogs",
            log_group_name=f"/milequest/{config.name}/functions",
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=removal,
        )
        self.environment = function_environment(config, database, auth, version)
        by_area: dict[str, list[Route]] = defaultdict(list)
        for route in routes:
            by_area[route.area].append(route)
        self.areas: dict[str, AreaRoutes] = {}
        self.functions: dict[str, lambda_.Function] = {}
        for area, area_routes in sorted(by_area.items()):
            nested = AreaRoutes(
                Stack.of(self),
                f"Routes-{area}",
                routes=area_routes,
                api=self.http_api,
                authorizer_id=self.authorizer.authorizer_id,
                environment=self.environment,
                network=network,
                database=database,
                roles=self.roles,
                log_group=self.function_logs,
                code_path=code_path,
                deps=deps,
                config=config,
            )
            self.areas[area] = nested
            self.functions.update(nested.functions)

    @property
    def url(self) -> str:
        return self.http_api.api_endpoint
