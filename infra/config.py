"""Environments are data: one frozen config object each, chosen with `cdk synth -c env=NAME`.

Account and region are explicit values (dummy account ids until the real ones are known) so
synth never performs a context lookup and runs offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FunctionSize:
    memory_mb: int
    timeout_s: int


# Route profile (milequest.api.routing.Profile) -> Lambda settings. Timeouts stay below API
# Gateway's 29 s integration limit.
PROFILES: dict[str, FunctionSize] = {
    "light": FunctionSize(memory_mb=256, timeout_s=10),
    "standard": FunctionSize(memory_mb=512, timeout_s=20),
    "heavy": FunctionSize(memory_mb=1024, timeout_s=28),
}


@dataclass(frozen=True)
class EnvConfig:
    name: str
    account: str
    region: str
    vpc_cidr: str = "10.40.0.0/16"
    max_azs: int = 2
    nat_gateways: int = 1
    # Database
    db_instance_class: str = "t4g.small"
    db_allocated_storage_gib: int = 20
    db_max_allocated_storage_gib: int = 100
    db_backup_retention_days: int = 1
    db_deletion_protection: bool = False
    db_multi_az: bool = False
    db_read_replica: bool = False
    db_name: str = "milequest"
    db_app_user: str = "milequest_app"
    proxy_max_connections_percent: int = 80
    proxy_borrow_timeout_s: int = 20  # < API Gateway's 29 s
    # API
    api_throttle_rate: float = 50
    api_throttle_burst: int = 100
    log_retention_days: int = 30
    route_provider: str = "great-circle"
    # Monitoring
    alarm_emails: tuple[str, ...] = field(default_factory=tuple)
    api_latency_p99_ms: int = 3000
    api_5xx_rate_percent: float = 1.0
    lambda_errors_threshold: int = 5
    # CDN
    cdn_price_class_all: bool = False

    @property
    def is_prod(self) -> bool:
        return self.name == "prod"

    @property
    def stack_name(self) -> str:
        return f"MileQuest-{self.name}"


DEV = EnvConfig(
    name="dev",
    account="111111111111",
    region="eu-west-1",
    vpc_cidr="10.40.0.0/16",
    alarm_emails=("dev-alerts@milequest.example",),
    log_retention_days=14,
)

PROD = EnvConfig(
    name="prod",
    account="222222222222",
    region="eu-west-1",
    vpc_cidr="10.50.0.0/16",
    max_azs=3,
    nat_gateways=2,
    db_instance_class="t4g.medium",
    db_allocated_storage_gib=50,
    db_max_allocated_storage_gib=500,
    db_backup_retention_days=14,
    db_deletion_protection=True,
    db_multi_az=True,
    db_read_replica=True,
    api_throttle_rate=500,
    api_throttle_burst=1000,
    log_retention_days=90,
    alarm_emails=("oncall@milequest.example", "platform@milequest.example"),
    cdn_price_class_all=True,
)

ENVIRONMENTS: dict[str, EnvConfig] = {c.name: c for c in (DEV, PROD)}
