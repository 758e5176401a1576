"""Route functions and API wiring are generated from functions.registry.ROUTES."""

from __future__ import annotations

from collections import defaultdict

import pytest

from functions.registry import ROUTES
from infra.config import PROFILES
from infra.function_roles import COGNITO_ADMIN_AREAS, EXPORT_ROUTE, NOTIFICATION_AREAS

ENVS = ["dev", "prod"]


def _route_key(fn: dict) -> str:
    """Route functions are described as "<route key>: <summary>" (handler strings may be
    shared by every route of an area, so they identify nothing)."""
    return fn["Properties"]["Description"].split(": ", 1)[0]


def _functions_by_key(nested: dict) -> dict[str, tuple[str, dict]]:
    return {
        _route_key(res): (logical, res)
        for logical, res in nested["Resources"].items()
        if res["Type"] == "AWS::Lambda::Function"
    }


def _routes_by_area():
    by_area = defaultdict(list)
    for route in ROUTES:
        by_area[route.area].append(route)
    return by_area


@pytest.mark.parametrize("env", ENVS)
def test_one_function_per_registered_route(synth, env):
    s = synth[env]
    assert set(s.nested) == {r.area for r in ROUTES}
    for area, routes in _routes_by_area().items():
        nested, _ = s.nested[area]
        functions = _functions_by_key(nested)
        assert set(functions) == {r.key for r in routes}
        assert len(functions) == len(routes)
        for route in routes:
            assert functions[route.key][1]["Properties"]["Handler"] == route.handler


@pytest.mark.parametrize("env", ENVS)
def test_each_route_is_wired_to_its_own_function(synth, env):
    s = synth[env]
    for area, routes in _routes_by_area().items():
        nested, _ = s.nested[area]
        res = nested["Resources"]
        fn_by_logical = {
            logical: _route_key(r)
            for logical, r in res.items()
            if r["Type"] == "AWS::Lambda::Function"
        }
        api_routes = {
            r["Properties"]["RouteKey"]: r["Properties"]
            for r in res.values()
            if r["Type"] == "AWS::ApiGatewayV2::Route"
        }
        assert set(api_routes) == {r.key for r in routes}
        for route in routes:
            props = api_routes[route.key]
            target = props["Target"]["Fn::Join"][1]
            assert target[0] == "integrations/"
            integration = res[target[1]["Ref"]]["Properties"]
            assert integration["IntegrationType"] == "AWS_PROXY"
            assert integration["PayloadFormatVersion"] == "2.0"
            fn_logical = integration["IntegrationUri"]["Fn::GetAtt"][0]
            assert fn_by_logical[fn_logical] == route.key
            if route.auth:
                assert props["AuthorizationType"] == "JWT"
                authorizer = s.nested_param(area, props["AuthorizerId"])
                assert authorizer == {"Ref": _logical(s, "AWS::ApiGatewayV2::Authorizer")}
            else:
                assert props["AuthorizationType"] == "NONE"


def _logical(s, cfn_type: str) -> str:
    found = list(s.of_type(cfn_type))
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("env", ENVS)
def test_route_functions_run_arm64_python312_in_private_subnets_against_the_proxy(synth, env):
    s = synth[env]
    proxy = _logical(s, "AWS::RDS::DBProxy")
    for area, routes in _routes_by_area().items():
        nested, _ = s.nested[area]
        functions = _functions_by_key(nested)
        for route in routes:
            _, fn = functions[route.key]
            props = fn["Properties"]
            assert props["Runtime"] == "python3.12"
            assert props["Architectures"] == ["arm64"]
            size = PROFILES[route.profile]
            assert props["MemorySize"] == size.memory_mb
            assert props["Timeout"] == size.timeout_s < 29
            subnets = [s.nested_param(area, x) for x in props["VpcConfig"]["SubnetIds"]]
            assert subnets and all("appSubnet" in x["Ref"] for x in subnets), subnets
            env_vars = props["Environment"]["Variables"]
            assert s.nested_param(area, env_vars["DB_HOST"]) == {"Fn::GetAtt": [proxy, "Endpoint"]}
            assert env_vars["DB_IAM_AUTH"] == "true"
            assert env_vars["DB_MODE"] == "single"
            assert env_vars["DB_USER"] == "milequest_app"
            assert env_vars["STAGE"] == env
            assert env_vars["VERSION"] == "test-version"
            for name in ("COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "POWERTOOLS_SERVICE_NAME"):
                assert name in env_vars
            role = s.nested_param(area, props["Role"])
            role_logical = role["Fn::GetAtt"][0]
            expected = (
                "Export"
                if route.key == EXPORT_ROUTE
                else "CognitoAdmin"
                if route.area in COGNITO_ADMIN_AREAS
                else "Notifications"
                if route.area in NOTIFICATION_AREAS
                else "Standard"
            )
            assert expected in role_logical, (route.key, role_logical)


@pytest.mark.parametrize("env", ENVS)
def test_only_the_cognito_role_has_cognito_admin_rights(synth, env):
    s = synth[env]
    for logical, policy in s.of_type("AWS::IAM::Policy").items():
        actions = []
        for st in policy["Properties"]["PolicyDocument"]["Statement"]:
            a = st["Action"]
            actions += a if isinstance(a, list) else [a]
        has_admin = any(str(a).startswith("cognito-idp:Admin") for a in actions)
        assert has_admin == ("CognitoAdmin" in logical), logical
        if "Roles" in logical:
            assert "rds-db:connect" in actions


@pytest.mark.parametrize("env", ENVS)
def test_stage_is_throttled_and_access_logged(synth, env):
    s = synth[env]
    stage = s.one("AWS::ApiGatewayV2::Stage")["Properties"]
    config = s.stack.config
    assert stage["StageName"] == "$default"
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == config.api_throttle_rate
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == config.api_throttle_burst
    dest = stage["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0]
    assert s.resources[dest]["Type"] == "AWS::Logs::LogGroup"
    assert "$context.status" in stage["AccessLogSettings"]["Format"]


@pytest.mark.parametrize("env", ENVS)
def test_jwt_authorizer_trusts_the_user_pool_client(synth, env):
    s = synth[env]
    auth = s.one("AWS::ApiGatewayV2::Authorizer")["Properties"]
    assert auth["AuthorizerType"] == "JWT"
    assert auth["IdentitySource"] == ["$request.header.Authorization"]
    client = _logical(s, "AWS::Cognito::UserPoolClient")
    assert auth["JwtConfiguration"]["Audience"] == [{"Ref": client}]


@pytest.mark.parametrize("env", ENVS)
def test_user_pool_and_client(synth, env):
    s = synth[env]
    pool = s.one("AWS::Cognito::UserPool")["Properties"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 8
    assert policy["RequireUppercase"] and policy["RequireLowercase"] and policy["RequireNumbers"]
    client = s.one("AWS::Cognito::UserPoolClient")["Properties"]
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert client["EnableTokenRevocation"] is True
    assert client["GenerateSecret"] is False


def test_prod_user_pool_enforces_threat_protection(synth):
    pool = synth["prod"].one("AWS::Cognito::UserPool")["Properties"]
    assert pool["UserPoolTier"] == "PLUS"
    assert pool["UserPoolAddOns"]["AdvancedSecurityMode"] == "ENFORCED"
    assert pool["DeletionProtection"] == "ACTIVE"


@pytest.mark.parametrize("env", ENVS)
def test_cors_preflight_allows_the_configured_origins_methods_and_headers(synth, env):
    s = synth[env]
    cors = s.one("AWS::ApiGatewayV2::Api")["Properties"]["CorsConfiguration"]
    assert cors["AllowOrigins"] == list(s.stack.config.cors_allowed_origins)
    assert set(cors["AllowMethods"]) == {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
    assert set(cors["AllowHeaders"]) == {
        "Authorization",
        "Content-Type",
        "Idempotency-Key",
        "If-None-Match",
        "X-Request-Id",
    }
    assert set(cors["ExposeHeaders"]) == {
        "ETag",
        "Retry-After",
        "X-Request-Id",
        "Idempotent-Replayed",
    }
    assert "*" not in cors["AllowOrigins"]


def test_cors_origins_differ_per_environment(synth):
    dev = synth["dev"].stack.config.cors_allowed_origins
    prod = synth["prod"].stack.config.cors_allowed_origins
    assert not any("localhost" in o for o in prod) and any("localhost" in o for o in dev)


@pytest.mark.parametrize("env", ENVS)
def test_unauthenticated_auth_routes_have_their_own_stage_throttle(synth, env):
    s = synth[env]
    config = s.stack.config
    stage = s.one("AWS::ApiGatewayV2::Stage")["Properties"]
    settings = stage["RouteSettings"]
    expected = {r.key for r in ROUTES if not r.auth and r.path.startswith("/auth/")}
    assert expected and set(settings) == expected
    for key in expected:
        assert settings[key]["ThrottlingRateLimit"] == config.auth_throttle_rate
        assert settings[key]["ThrottlingBurstLimit"] == config.auth_throttle_burst
    assert config.auth_throttle_rate < stage["DefaultRouteSettings"]["ThrottlingRateLimit"]
    assert "DestinationArn" in stage["AccessLogSettings"]
    # The stage names route keys that must already exist.
    (_, auth_stack) = s.nested["auth"]
    (stage_logical,) = s.of_type("AWS::ApiGatewayV2::Stage")
    assert auth_stack in s.resources[stage_logical].get("DependsOn", [])
