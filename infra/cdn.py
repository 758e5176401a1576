"""CloudFront in front of the HTTP API.

Public GET routes (`cache=Public(...)`, `auth=False`) get their own behaviour whose cache
policy honours the origin's Cache-Control (default TTL 0, so nothing without max-age is
cached), keys on all query strings and the headers the route varies on (`Public.vary`, e.g.
Accept-Language), and never forwards Authorization. Everything else falls to
the default behaviour: caching disabled, all viewer headers (except Host) forwarded.

CloudFront behaviours apply to every method of a path pattern, and a `*` also matches `/`. A
cached behaviour must therefore never catch a request of another route (say `PATCH` on the same
path, or an authenticated route under the same prefix): it would reach the API without its
Authorization header. `plan_behaviours` orders patterns specific-first and keeps a cached
behaviour only when every route landing on it is a public GET, adding uncached behaviours in
front where they shield a cached one. A public route that cannot be isolated is served
uncached (still correct, only not edge-cached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from aws_cdk import Duration, Fn, Stack
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from functions.registry import ROUTES
from infra.buckets import private_bucket
from infra.config import EnvConfig
from milequest.api.routing import Public, Route

_PARAM = re.compile(r"\{[^}]+\}")
MAX_BEHAVIOURS = 25  # CloudFront's default quota per distribution
CORS_CACHE_HEADERS = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
# Already in every cache key (CORS) or keyed by the policy's own switches (compression).
_NOT_IN_KEY = {h.lower() for h in CORS_CACHE_HEADERS} | {"accept-encoding"}


def is_cacheable(route: Route) -> bool:
    return route.method == "GET" and not route.auth and isinstance(route.cache, Public)


def path_pattern(route: Route) -> str:
    return _PARAM.sub("*", route.path)


def sample_path(route: Route) -> str:
    return _PARAM.sub("00000000-0000-0000-0000-000000000001", route.path)


@dataclass(frozen=True)
class Behaviour:
    pattern: str
    cached: bool
    # Request headers the answers depend on (every route landing here), for the cache key.
    vary: tuple[str, ...] = ()


def vary_of(routes: list[Route]) -> tuple[str, ...]:
    headers = {h for r in routes if isinstance(r.cache, Public) for h in r.cache.vary}
    return tuple(sorted(headers, key=str.lower))


def _first_match(order: list[str], path: str) -> str | None:
    return next((p for p in order if fnmatchcase(path, p)), None)


def _shields(pattern: str, order: list[str], cached: set[str], group: list[Route]) -> bool:
    """Whether an uncached pattern stops some of its routes from reaching a cached one."""
    later = [q for q in order[order.index(pattern) + 1 :] if q in cached]
    return any(_first_match(later, sample_path(r)) for r in group)


def plan_behaviours(routes: tuple[Route, ...] = ROUTES) -> list[Behaviour]:
    """Ordered (first match wins) list of behaviours; the default behaviour is implicit."""
    candidates = {path_pattern(r) for r in routes if is_cacheable(r)}
    # Patterns of routes a cached pattern would otherwise swallow, to shield them.
    candidates |= {
        path_pattern(r)
        for r in routes
        if any(fnmatchcase(sample_path(r), p) for p in list(candidates))
    }
    order = sorted(candidates, key=lambda p: (p.count("*"), -len(p), p))
    cached_patterns = {path_pattern(r) for r in routes if is_cacheable(r)}
    while True:
        groups: dict[str, list[Route]] = {p: [] for p in order}
        for r in routes:
            hit = _first_match(order, sample_path(r))
            if hit is not None:
                groups[hit].append(r)
        cached = {
            p
            for p in order
            if p in cached_patterns and groups[p] and all(is_cacheable(r) for r in groups[p])
        }

        kept = [p for p in order if p in cached or _shields(p, order, cached, groups[p])]
        if kept == order:
            return [
                Behaviour(p, p in cached, vary_of(groups[p]) if p in cached else ()) for p in order
            ]
        order = kept


class Cdn(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        config: EnvConfig,
        http_api: apigw.IHttpApi,
        web_acl_arn: str,
        routes: tuple[Route, ...] = ROUTES,
    ) -> None:
        super().__init__(scope, cid)
        stack = Stack.of(self)
        # Standard logging: cache hits never reach the API, so only CloudFront can log them.
        # Legacy standard logs need a bucket that accepts ACL grants (awslogsdelivery).
        self.log_bucket = private_bucket(
            self,
            "Logs",
            config,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=Duration.days(config.log_retention_days),
                    noncurrent_version_expiration=Duration.days(1),
                )
            ],
        )
        domain = Fn.join(
            "", [http_api.api_id, ".execute-api.", stack.region, ".", stack.url_suffix]
        )
        origin = origins.HttpOrigin(
            domain,
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
        )
        self.behaviours = plan_behaviours(routes)[:MAX_BEHAVIOURS]
        self.cache_policies: dict[tuple[str, ...], cloudfront.CachePolicy] = {}
        self.public_cache_policy = self._cache_policy(())
        self.public_request_policy = cloudfront.OriginRequestPolicy(
            self,
            "PublicRequest",
            comment="Public API requests: query strings only",
            query_string_behavior=cloudfront.OriginRequestQueryStringBehavior.all(),
            header_behavior=cloudfront.OriginRequestHeaderBehavior.none(),
            cookie_behavior=cloudfront.OriginRequestCookieBehavior.none(),
        )
        uncached = cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            compress=True,
        )

        def cached(vary: tuple[str, ...]) -> cloudfront.BehaviorOptions:
            return cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
                cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
                cache_policy=self._cache_policy(vary),
                origin_request_policy=self.public_request_policy,
                compress=True,
            )

        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"MileQuest API ({config.name})",
            default_behavior=uncached,
            additional_behaviors={
                b.pattern: cached(b.vary) if b.cached else uncached for b in self.behaviours
            },
            price_class=(
                cloudfront.PriceClass.PRICE_CLASS_ALL
                if config.cdn_price_class_all
                else cloudfront.PriceClass.PRICE_CLASS_100
            ),
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            web_acl_id=web_acl_arn,
            enable_logging=True,
            log_bucket=self.log_bucket,
            log_file_prefix="cloudfront/",
        )

    def _cache_policy(self, vary: tuple[str, ...]) -> cloudfront.CachePolicy:
        """One policy per set of varied headers (the plain one keeps its original id)."""
        if vary not in self.cache_policies:
            cid = "PublicCache" + "".join(h.replace("-", "") for h in vary)
            self.cache_policies[vary] = cloudfront.CachePolicy(
                self,
                cid,
                comment="Public API responses: TTL from the origin's Cache-Control"
                + (f", varying on {', '.join(vary)}" if vary else ""),
                default_ttl=Duration.seconds(0),
                min_ttl=Duration.seconds(0),
                max_ttl=Duration.days(1),
                query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
                # CORS: the answer depends on the Origin (and, for preflights, what is asked);
                # a varied header is forwarded to the origin as part of the cache key.
                header_behavior=cloudfront.CacheHeaderBehavior.allow_list(
                    *CORS_CACHE_HEADERS, *(h for h in vary if h.lower() not in _NOT_IN_KEY)
                ),
                cookie_behavior=cloudfront.CacheCookieBehavior.none(),
                enable_accept_encoding_gzip=True,
                enable_accept_encoding_brotli=True,
            )
        return self.cache_policies[vary]
