"""CloudFront: public GET routes cached by origin Cache-Control, everything else uncached."""

from __future__ import annotations

import dataclasses
import json
from fnmatch import fnmatchcase

import pytest

from functions.registry import ROUTES
from infra.cdn import Behaviour, is_cacheable, plan_behaviours, sample_path
from milequest.api.routing import Private, Public, Route

ENVS = ["dev", "prod"]
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def _route(method, path, auth=True, public=False):
    name = path.strip("/").replace("/", "_").replace("{", "").replace("}", "") or "root"
    return Route(
        method,
        path,
        "functions.x.handler",
        "s",
        f"x-{method.lower()}_{name}",
        fn=print,
        auth=auth,
        cache=Public(max_age=60) if public else Private(),
    )


def _landing(plan: list[Behaviour], route: Route) -> Behaviour | None:
    return next((b for b in plan if fnmatchcase(sample_path(route), b.pattern)), None)


def _safe_plan(*routes: Route) -> list[Behaviour]:
    """The behaviours planned for the routes, asserted to cache no route that needs auth."""
    plan = plan_behaviours(routes)
    for route in routes:
        landing = _landing(plan, route)
        if landing is not None and landing.cached:
            assert is_cacheable(route), f"{route.key} would lose its Authorization header"
    return plan


def test_literal_public_path_is_cached_ahead_of_a_parameter_sibling():
    plan = _safe_plan(
        _route("GET", "/teams/public", auth=False, public=True),
        _route("GET", "/teams/{teamId}"),
        _route("PATCH", "/teams/{teamId}"),
    )
    assert plan == [Behaviour("/teams/public", True)]


def test_public_route_sharing_its_path_with_a_write_is_not_cached():
    plan = _safe_plan(
        _route("GET", "/things/{id}", auth=False, public=True),
        _route("DELETE", "/things/{id}"),
    )
    assert all(not b.cached for b in plan)


def test_authenticated_routes_under_a_public_prefix_are_shielded():
    plan = _safe_plan(
        _route("GET", "/teams/{teamId}", auth=False, public=True),
        _route("GET", "/teams/{teamId}/members"),
        _route("POST", "/teams/{teamId}/members"),
    )
    assert plan == [Behaviour("/teams/*/members", False), Behaviour("/teams/*", True)]


def test_registered_routes_plan_is_safe():
    plan = _safe_plan(*ROUTES)
    assert len(plan) <= 25


def _distribution(s):
    return s.one("AWS::CloudFront::Distribution")["Properties"]["DistributionConfig"]


CORS_HEADERS = {"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"}


def _policy_headers(s):
    """Logical id of each public cache policy -> the headers in its cache key."""
    return {
        k: set(
            v["Properties"]["CachePolicyConfig"]["ParametersInCacheKeyAndForwardedToOrigin"][
                "HeadersConfig"
            ]["Headers"]
        )
        for k, v in s.of_type("AWS::CloudFront::CachePolicy").items()
    }


def _policy_for(s, behaviour):
    return behaviour["CachePolicyId"]["Ref"]


@pytest.mark.parametrize("env", ENVS)
def test_default_behaviour_is_uncached_https_and_compressed(synth, env):
    default = _distribution(synth[env])["DefaultCacheBehavior"]
    assert default["CachePolicyId"] == CACHING_DISABLED
    assert default["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert default["Compress"] is True
    assert set(default["AllowedMethods"]) >= {"POST", "PATCH", "DELETE", "PUT"}


@pytest.mark.parametrize("env", ENVS)
def test_public_routes_get_cached_behaviours_in_plan_order(synth, env):
    s = synth[env]
    dist = _distribution(s)
    behaviours = dist.get("CacheBehaviors", [])
    plan = plan_behaviours(ROUTES)
    assert [b["PathPattern"] for b in behaviours] == [p.pattern for p in plan]
    headers = _policy_headers(s)
    for b, planned in zip(behaviours, plan, strict=True):
        assert b["ViewerProtocolPolicy"] == "redirect-to-https"
        assert b["Compress"] is True
        if planned.cached:
            assert headers[_policy_for(s, b)] == CORS_HEADERS | set(planned.vary)
        else:
            assert b["CachePolicyId"] == CACHING_DISABLED
    cached_patterns = {p.pattern for p in plan if p.cached}
    for route in ROUTES:
        if is_cacheable(route):
            # Every public route is edge-cached unless the plan had to give it up.
            assert any(fnmatchcase(sample_path(route), p) for p in cached_patterns) or all(
                not b.cached for b in plan if fnmatchcase(sample_path(route), b.pattern)
            )


@pytest.mark.parametrize("env", ENVS)
def test_public_cache_policies_honour_origin_and_ignore_authorization(synth, env):
    s = synth[env]
    policies = [
        v["Properties"]["CachePolicyConfig"]
        for v in s.of_type("AWS::CloudFront::CachePolicy").values()
    ]
    varied = {h for b in s.stack.cdn.behaviours for h in b.vary}
    assert len(policies) == 1 + len({b.vary for b in s.stack.cdn.behaviours if b.vary})
    for config in policies:
        _assert_public_policy(config, varied)


def _assert_public_policy(config, varied):
    assert config["DefaultTTL"] == 0
    assert config["MinTTL"] == 0
    assert config["MaxTTL"] > 0
    key = config["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["QueryStringsConfig"]["QueryStringBehavior"] == "all"
    # Only the CORS request headers and what routes vary on are in the key; never Authorization.
    headers = key["HeadersConfig"]
    assert headers["HeaderBehavior"] == "whitelist"
    assert CORS_HEADERS <= set(headers["Headers"]) <= CORS_HEADERS | varied
    assert "Authorization" not in headers["Headers"]
    assert key["CookiesConfig"]["CookieBehavior"] == "none"
    assert key["EnableAcceptEncodingGzip"] is True


@pytest.mark.parametrize("env", ENVS)
def test_origin_is_the_http_api_over_https(synth, env):
    s = synth[env]
    (origin,) = _distribution(s)["Origins"]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    (api_logical,) = s.of_type("AWS::ApiGatewayV2::Api")
    assert {"Ref": api_logical} in origin["DomainName"]["Fn::Join"][1]


@pytest.mark.parametrize("env", ENVS)
def test_public_leaderboards_are_edge_cached_get_only(synth, env):
    s = synth[env]
    headers = _policy_headers(s)
    by_pattern = {b["PathPattern"]: b for b in _distribution(s).get("CacheBehaviors", [])}
    for pattern in ("/leaderboards/global", "/leaderboards/teams"):
        behaviour = by_pattern[pattern]
        assert headers[_policy_for(s, behaviour)] == CORS_HEADERS
        assert set(behaviour["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("env", ENVS)
def test_distribution_has_the_edge_web_acl_and_standard_logging(synth, env):
    s = synth[env]
    dist = _distribution(s)
    assert dist["WebACLId"]  # resolved at deploy from the us-east-1 edge stack
    bucket = dist["Logging"]["Bucket"]["Fn::GetAtt"][0]
    props = s.resources[bucket]["Properties"]
    assert props["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerPreferred"
    assert props["PublicAccessBlockConfiguration"]["BlockPublicAcls"] is True


@pytest.mark.parametrize("env", ENVS)
def test_web_acl_has_managed_common_rules_and_a_rate_rule(synth, env):
    edge = synth[env].stack.edge
    t = json.loads((synth.outdir / edge.template_file).read_text())
    (acl,) = [r["Properties"] for r in t["Resources"].values() if r["Type"] == "AWS::WAFv2::WebACL"]
    assert acl["Scope"] == "CLOUDFRONT" and edge.region == "us-east-1"
    rules = {r["Name"]: r for r in acl["Rules"]}
    managed = rules["AWSManagedRulesCommonRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert managed["VendorName"] == "AWS"
    rate = rules["RatePerIp"]["Statement"]["RateBasedStatement"]
    assert rate == {
        "Limit": synth[env].stack.config.waf_rate_limit_per_5min,
        "AggregateKeyType": "IP",
    }
    assert "Block" in rules["RatePerIp"]["Action"]
    assert any(r["Type"] == "AWS::WAFv2::LoggingConfiguration" for r in t["Resources"].values())


@pytest.mark.parametrize("env", ENVS)
def test_public_share_cards_are_edge_cached_get_only_without_authorization(synth, env):
    s = synth[env]
    by_pattern = {b["PathPattern"]: b for b in _distribution(s).get("CacheBehaviors", [])}
    behaviour = by_pattern["/shares/*"]
    assert _policy_headers(s)[_policy_for(s, behaviour)] == CORS_HEADERS
    assert set(behaviour["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS"}
    request = s.resources[behaviour["OriginRequestPolicyId"]["Ref"]]["Properties"]
    assert request["OriginRequestPolicyConfig"]["HeadersConfig"]["HeaderBehavior"] == "none"


@pytest.mark.parametrize("env", ENVS)
def test_achievements_cache_key_includes_accept_language_only_there(synth, env):
    s = synth[env]
    headers = _policy_headers(s)
    for b in _distribution(s).get("CacheBehaviors", []):
        if b["CachePolicyId"] == CACHING_DISABLED:
            continue
        key = headers[_policy_for(s, b)]
        if b["PathPattern"] == "/achievements":
            assert key == CORS_HEADERS | {"Accept-Language"}
        else:
            assert "Accept-Language" not in key, b["PathPattern"]


def test_plan_varies_on_every_header_of_the_routes_landing_on_a_behaviour():
    def varying(path, *vary):
        route = _route("GET", path, auth=False, public=True)
        return dataclasses.replace(route, cache=Public(max_age=60, vary=vary))

    routes = (
        varying("/cards/{id}", "Accept-Language"),
        varying("/boards", "X-Units", "accept-language"),
        _route("GET", "/plain", auth=False, public=True),
    )
    plan = {b.pattern: b for b in plan_behaviours(routes)}
    assert plan["/cards/*"].vary == ("Accept-Language",)
    assert plan["/boards"].vary == ("accept-language", "X-Units")
    assert plan["/plain"].vary == ()
