"""Typed settings, parsed once per cold start (never at import time)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    # Built on first use (get_settings), not at import: importing costs every cold start.
    model_config = ConfigDict(frozen=True, defer_build=True)

    database_url: str = "postgresql://postgres@127.0.0.1:5432/milequest"
    # Lambda: one lazily opened connection per execution environment. Local: a small pool.
    db_mode: Literal["single", "pool"] = "pool"
    db_pool_max: int = Field(default=10, ge=1)
    # RDS Proxy with IAM auth: the password is a short-lived token generated per connection.
    db_iam_auth: bool = False
    db_host: str | None = None
    db_port: int = 5432
    db_name: str = "milequest"
    db_user: str = "milequest_app"
    db_connect_timeout: int = 5
    # Read replica for analytics and global boards (milequest.db.read_connection): a URL
    # locally, a host (same IAM auth, port, name and user as DB_HOST) in the cloud. Unset:
    # those reads use the primary. A replica further behind than the lag limit is skipped.
    database_read_url: str | None = None
    db_read_host: str | None = None
    db_read_max_lag_seconds: float = Field(default=30.0, ge=0)
    aws_region: str = "eu-west-1"
    cognito_user_pool_id: str | None = None
    cognito_client_id: str | None = None
    # Locally Cognito is moto's emulator; boto3 is pointed at it with this endpoint.
    cognito_endpoint_url: str | None = None
    route_provider: Literal["great-circle", "amazon-location"] = "great-circle"
    route_calculator_name: str | None = None
    team_member_cap: int = Field(default=100, ge=1)
    # Per-user rate limits (docs/domain.md#rate-limits): activity logs per hour, team creations
    # per day.
    activity_rate_limit: int = Field(default=60, ge=1)
    team_creation_limit: int = Field(default=10, ge=1)
    # Notifications: the SES sender, and the Web Push (VAPID) key pair. In the cloud the key
    # pair is the JSON secret VAPID_SECRET_ARN names ({"privateKey", "publicKey"}), read lazily;
    # locally `make run` generates it into .local/vapid.json and exports the two keys.
    email_from: str = "Mile Quest <notifications@milequest.dev>"
    ses_endpoint_url: str | None = None
    vapid_private_key: str | None = None  # PEM, or the raw 32-byte key base64url-encoded
    vapid_public_key: str | None = None  # uncompressed P-256 point, base64url
    vapid_subject: str = "mailto:notifications@milequest.dev"
    vapid_secret_arn: str | None = None
    # Data export (docs/domain.md#data-export): an export whose answer would exceed
    # `export_inline_max_bytes` (the whole Lambda result, escaped, under Lambda's 6 MiB) is
    # written to the private bucket `export_bucket` under exports/ and linked by a presigned
    # URL valid `export_url_ttl_seconds`. Locally the bucket is moto's (`s3_endpoint_url`).
    export_inline_max_bytes: int = Field(default=5 * 1024 * 1024, ge=0, le=6 * 1024 * 1024 - 65536)
    export_bucket: str | None = None
    export_url_ttl_seconds: int = Field(default=900, ge=60, le=3600)
    s3_endpoint_url: str | None = None
    # Where share links point (the CloudFront domain in the cloud).
    public_base_url: str = "http://127.0.0.1:3001"
    version: str = "dev"
    stage: str = "local"


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    in_lambda = _env("AWS_LAMBDA_FUNCTION_NAME") is not None
    raw: dict[str, object] = {"db_mode": "single" if in_lambda else "pool"}
    for field in Settings.model_fields:
        value = _env(field.upper())
        if value is not None:
            raw[field] = value
    return Settings.model_validate(raw)
