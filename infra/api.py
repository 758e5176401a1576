"""HTTP API: one Lambda per registered route, generated from functions.registry.ROUTES.

Routes are grouped into one nested stack per area so no stack approaches CloudFormation's
500-resource limit as routes are added. Functions share two IAM roles (with / without Cognito
admin rights) and one log group, which keeps the per-route cost at four resources (function,
invoke permission, integration, route). Each function has reserved concurrency from its area's
budget (config.area_concurrency), so all of them together cannot open more connections than
the proxy may; the unauthenticated /auth/* routes have their own, lower stage throttle; CORS
preflight is answered by API Gateway for the configured origins.

The JWT authorizer is a plain `HttpAuthorizer` of type JWT (what `HttpJwtAuthorizer` /
`HttpUserPoolAuthorizer` create lazily on first use) declared once in the parent stack, so that
routes in every nested stack attach to the same authorizer.
"""

from __future__ import annotations

import json
from collections import defaultdict

import jsii
from aws_cdk import Duration, NestedStack, Stack
from aws_cdk import aws_apigateway as apigw_v1
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from functions.registry import ROUTES
from infra.auth import Auth
from infra.config import PROFILES, EnvConfig
from infra.database import Database
from infra.function_roles import FunctionRoles, function_environment
from infra.functions import FunctionKit, log_group, make_function
from milequest.api.routing import Route

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


CORS_METHODS = [
    apigw.CorsHttpMethod.GET,
    apigw.CorsHttpMethod.POST,
    apigw.CorsHttpMethod.PUT,
    apigw.CorsHttpMethod.PATCH,
    apigw.CorsHttpMethod.DELETE,
    apigw.CorsHttpMethod.OPTIONS,
]
CORS_ALLOW_HEADERS = [
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-None-Match",
    "X-Request-Id",
]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "X-Request-Id", "Idempotent-Replayed"]


@jsii.implements(apigw.IAccessLogSettings)
class _AccessLogs:
    """HttpStage's access_log_settings: JSON lines into our log group."""

    def __init__(self, group: logs.ILogGroup) -> None:
        self._destination = apigw.LogGroupLogDestination(group)

    @property
    def destination(self) -> apigw.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw_v1.AccessLogFormat:
        return apigw_v1.AccessLogFormat.custom(_ACCESS_LOG_FORMAT)


def is_throttled_auth_route(route: Route) -> bool:
    return not route.auth and route.path.startswith("/auth/")


def reserved_concurrency(config: EnvConfig, area: str, routes_in_area: int) -> int:
    budget = config.area_concurrency.get(area, config.area_concurrency["default"])
    return max(1, budget // max(1, routes_in_area))


class AreaRoutes(NestedStack):
    """The functions, integrations and routes of one area."""

    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        area: str,
        routes: list[Route],
        api: apigw.IHttpApi,
        authorizer_id: str,
        environment: dict[str, str],
        kit: FunctionKit,
        database: Database,
        roles: FunctionRoles,
        log_group: logs.ILogGroup,
    ) -> None:
        super().__init__(scope, cid, description=f"MileQuest {cid}")
        authorizer = apigw.HttpAuthorizer.from_http_authorizer_attributes(
            self, "Authorizer", authorizer_id=authorizer_id, authorizer_type="JWT"
        )
        concurrency = reserved_concurrency(kit.config, area, len(routes))
        self.functions: dict[str, lambda_.Function] = {}
        self.public_routes: list[apigw.HttpRoute] = []
        for route in routes:
            fn = make_function(
                self,
                route.name,
                kit,
                description=f"{route.key}: {route.summary}",
                handler=route.handler,
                size=PROFILES[route.profile],
                role=roles.for_route(route),
                environment=environment,
                log_group=log_group,
                reserved_concurrency=concurrency,
            )
            if route.uses_db:
                database.grant_connect(fn)
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
        kit: FunctionKit,
        database: Database,
        auth: Auth,
        version: str,
        routes: tuple[Route, ...] = ROUTES,
    ) -> None:
        super().__init__(scope, cid)
        self.kit = kit
        config = kit.config
        self.http_api = apigw.HttpApi(
            self,
            "HttpApi",
            api_name=f"milequest-{config.name}",
            create_default_stage=False,
            cors_preflight=apigw.CorsPreflightOptions(
                allow_origins=list(config.cors_allowed_origins),
                allow_methods=CORS_METHODS,
                allow_headers=CORS_ALLOW_HEADERS,
                expose_headers=CORS_EXPOSE_HEADERS,
                max_age=Duration.hours(1),
            ),
        )
        self.access_logs = log_group(self, "AccessLogs", config)
        self.stage = apigw.HttpStage(
            self,
            "Stage",
            http_api=self.http_api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigw.ThrottleSettings(
                rate_limit=config.api_throttle_rate, burst_limit=config.api_throttle_burst
            ),
            access_log_settings=_AccessLogs(self.access_logs),
        )
        self._throttle_auth_routes(config, routes)
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
        self.function_logs = log_group(
            self, "FunctionLogs", config, name=f"/milequest/{config.name}/functions"
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
                area=area,
                routes=area_routes,
                api=self.http_api,
                authorizer_id=self.authorizer.authorizer_id,
                environment=self.environment,
                kit=kit,
                database=database,
                roles=self.roles,
                log_group=self.function_logs,
            )
            self.areas[area] = nested
            self.functions.update(nested.functions)
            if any(is_throttled_auth_route(r) for r in area_routes):
                # Route settings name route keys that must exist when the stage is updated.
                self.stage.node.add_dependency(nested)

    def _throttle_auth_routes(self, config: EnvConfig, routes: tuple[Route, ...]) -> None:
        cfn_stage = self.stage.node.default_child
        assert isinstance(cfn_stage, apigw.CfnStage)
        cfn_stage.route_settings = {
            route.key: {
                "ThrottlingRateLimit": config.auth_throttle_rate,
                "ThrottlingBurstLimit": config.auth_throttle_burst,
            }
            for route in routes
            if is_throttled_auth_route(route)
        }

    @property
    def url(self) -> str:
        return self.http_api.api_endpoint
