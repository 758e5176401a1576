"""Environments are data: one frozen config object each, chosen with `cdk synth -c env=NAME`.

Account, region and availability zones are explicit values (dummy account ids until the real
ones are known) so synth never performs a context lookup and runs offline. A second region is
one more entry here (its own account/region/zones, its own database): see infra/README.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class FunctionSize:
    memory_mb: int
    timeout_s: int


# Route profile (milequest.api.routing.Profile) -> Lambda settings. Every timeout is above the
# proxy's borrow timeout (a request waiting for a pooled connection gets the proxy's error, not
# a Lambda timeout mid-transaction) and below API Gateway's 29 s integration limit.
PROFILES: dict[str, FunctionSize] = {
    "light": FunctionSize(memory_mb=256, timeout_s=15),
    "standard": FunctionSize(memory_mb=512, timeout_s=20),
    "heavy": FunctionSize(memory_mb=1024, timeout_s=28),
}
API_GATEWAY_TIMEOUT_S = 29


def _frozen(values: dict[str, int]) -> Mapping[str, int]:
    return MappingProxyType(values)


@dataclass(frozen=True)
class EnvConfig:
    """One deployable environment: an account and region with its own stacks (`stack_name`,
    `<stack_name>-edge`); every size, threshold and budget the stacks read."""

    name: str
    account: str
    region: str
    # Pinned per environment: no AZ lookup at synth (names must exist in `region`).
    availability_zones: tuple[str, ...]
    vpc_cidr: str = "10.40.0.0/16"
    nat_gateways: int = 1
    # Database. The major version is what we pin; the minor is only the version new instances
    # start from (one RDS still creates: cfn-lint W3691 tracks retired ones). RDS applies newer
    # minors itself (auto_minor_version_upgrade), so the template never forces a downgrade.
    db_engine_version: str = "16.13"
    db_instance_class: str = "t4g.small"
    db_allocated_storage_gib: int = 20
    db_max_allocated_storage_gib: int = 100
    # Set explicitly (not RDS's memory formula) so the concurrency budget below is exact.
    db_max_connections: int = 150
    db_backup_retention_days: int = 1
    db_deletion_protection: bool = False
    db_multi_az: bool = False
    db_read_replica: bool = False
    db_name: str = "milequest"
    db_app_user: str = "milequest_app"
    proxy_max_connections_percent: int = 80
    proxy_borrow_timeout_s: int = 10  # < every function timeout (PROFILES)
    # Lambda reserved concurrency per area, split evenly over the area's route functions; the
    # sum over routes and jobs stays below the proxy's connection limit (tests/infra).
    area_concurrency: Mapping[str, int] = field(
        default_factory=lambda: _frozen({"default": 10, "auth": 8})
    )
    job_concurrency: int = 1
    # API
    api_throttle_rate: float = 50
    api_throttle_burst: int = 100
    # Unauthenticated /auth/* routes: per-route stage throttle (credential stuffing, SMS/email).
    auth_throttle_rate: float = 5
    auth_throttle_burst: int = 10
    cors_allowed_origins: tuple[str, ...] = ("http://localhost:3000",)
    log_retention_days: int = 30
    route_provider: str = "great-circle"
    # Monitoring
    alarm_emails: tuple[str, ...] = field(default_factory=tuple)
    api_latency_p99_ms: int = 3000
    api_5xx_rate_percent: float = 1.0
    lambda_errors_threshold: int = 5
    disk_used_percent: float = 80
    storage_near_max_percent: float = 90
    replica_lag_s: int = 60
    proxy_borrow_latency_ms: int = 100
    # Notifications: the SES sender (its domain is the SES identity the dispatcher may send
    # as; also the VAPID contact) and the base of share links / email links. Without a base
    # URL the distribution's own https://<id>.cloudfront.net is used.
    email_sender: str = "notifications@dev.milequest.example"
    email_sender_name: str = "Mile Quest"
    public_base_url: str | None = None
    # CDN / edge
    cdn_price_class_all: bool = False
    waf_rate_limit_per_5min: int = 2000  # per client IP, CloudFront-wide

    @property
    def is_prod(self) -> bool:
        return self.name == "prod"

    @property
    def stack_name(self) -> str:
        return f"MileQuest-{self.name}"

    @property
    def email_from(self) -> str:
        return f"{self.email_sender_name} <{self.email_sender}>"

    @property
    def email_domain(self) -> str:
        return self.email_sender.rsplit("@", 1)[-1]

    @property
    def db_engine_major(self) -> str:
        return self.db_engine_version.split(".")[0]

    @property
    def proxy_connection_limit(self) -> int:
        return self.db_max_connections * self.proxy_max_connections_percent // 100


DEV = EnvConfig(
    name="dev",
    account="111111111111",
    region="eu-west-1",
    availability_zones=("eu-west-1a", "eu-west-1b"),
    vpc_cidr="10.40.0.0/16",
    alarm_emails=("dev-alerts@milequest.example",),
    cors_allowed_origins=("http://localhost:3000", "https://dev.milequest.example"),
    log_retention_days=14,
)

PROD = EnvConfig(
    name="prod",
    account="222222222222",
    region="eu-west-1",
    availability_zones=("eu-west-1a", "eu-west-1b", "eu-west-1c"),
    vpc_cidr="10.50.0.0/16",
    nat_gateways=2,
    db_instance_class="t4g.medium",
    db_allocated_storage_gib=50,
    db_max_allocated_storage_gib=500,
    db_max_connections=350,
    db_backup_retention_days=14,
    db_deletion_protection=True,
    db_multi_az=True,
    db_read_replica=True,
    area_concurrency=_frozen(
        {"default": 28, "auth": 16, "health": 2, "notifications": 16, "shares": 16}
    ),
    api_throttle_rate=500,
    api_throttle_burst=1000,
    auth_throttle_rate=20,
    auth_throttle_burst=40,
    cors_allowed_origins=("https://app.milequest.example", "https://milequest.example"),
    log_retention_days=90,
    alarm_emails=("oncall@milequest.example", "platform@milequest.example"),
    cdn_price_class_all=True,
    waf_rate_limit_per_5min=1000,
    email_sender="notifications@milequest.example",
)

ENVIRONMENTS: dict[str, EnvConfig] = {c.name: c for c in (DEV, PROD)}
