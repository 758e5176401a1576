"""The data exports bucket, through boto3 `s3`: the only module that talks to it
(docs/domain.md#data-export).

An export too large to answer inline is one object `exports/<user id>/<export id>.json`
(server-side encrypted, `application/json`, downloaded as an attachment), read through a
presigned GET. The bucket is private and expires objects after a day (infra/exports.py).

boto3 is imported on the first export that needs the bucket, never at import time: the users
entry's cold start does not pay for it (tests/unit/test_registry.py). Locally the bucket is
moto's, reached with `s3_endpoint_url` (local/exports.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from uuid import UUID

from milequest.config import Settings, get_settings
from milequest.domain.errors import Unavailable
from milequest.observability import logger

PREFIX = "exports/"
# S3's answers that say "not now" rather than "not this": worth a retry by the client.
_TRANSIENT_CODES = frozenset({"SlowDown", "RequestTimeout", "ServiceUnavailable", "InternalError"})


@dataclass(frozen=True)
class StoredExport:
    key: str
    url: str  # presigned GET
    expires_at: datetime  # the URL's expiry (it was signed a moment later: it lasts a bit more)


class S3ExportStore:
    def __init__(
        self,
        bucket: str | None,
        *,
        region: str,
        url_ttl_seconds: int,
        endpoint_url: str | None = None,
    ) -> None:
        self.bucket = bucket
        self.region = region
        self.url_ttl_seconds = url_ttl_seconds
        self.endpoint_url = endpoint_url
        self._s3: Any = None

    def client(self) -> Any:
        if self._s3 is None:
            import boto3  # here: only an export too large to answer inline needs S3
            from botocore.config import Config

            self._s3 = boto3.client(
                "s3",
                region_name=self.region,
                endpoint_url=self.endpoint_url,
                config=Config(
                    signature_version="s3v4",
                    connect_timeout=3,
                    read_timeout=10,
                    retries={"mode": "standard"},
                    # moto on 127.0.0.1 has no bucket subdomains; AWS gets virtual hosts.
                    s3={"addressing_style": "path" if self.endpoint_url else "virtual"},
                ),
            )
        return self._s3

    def save(self, user_id: UUID, document: bytes) -> StoredExport:
        """Write the document and sign a GET of it. Raises Unavailable when S3 cannot take it
        now; any other S3 refusal (access denied, no such bucket) is a misconfiguration and
        propagates (a logged 500)."""
        if not self.bucket:
            raise RuntimeError("EXPORT_BUCKET must be set for exports too large to answer inline")
        # The user's prefix, then a random id: one object per export, and a key nobody else can
        # guess or list (the bucket is private; only a presigned URL reads an object).
        key = f"{PREFIX}{user_id}/{uuid.uuid4().hex}.json"
        now = datetime.now(UTC).replace(microsecond=0)
        s3 = self.client()
        with _translated(key):
            s3.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=document,
                ContentType="application/json",
                ContentDisposition=f'attachment; filename="milequest-export-{now:%Y-%m-%d}.json"',
                CacheControl="private, no-store",
                ServerSideEncryption="AES256",
            )
        url = s3.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key},
            ExpiresIn=self.url_ttl_seconds,
        )
        return StoredExport(key, str(url), now + timedelta(seconds=self.url_ttl_seconds))


@contextmanager
def _translated(key: str) -> Iterator[None]:
    from botocore.exceptions import ClientError

    from milequest.aws_errors import NETWORK_ERRORS

    try:
        yield
    except ClientError as err:
        code = str(err.response.get("Error", {}).get("Code", ""))
        status = int(err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        if code not in _TRANSIENT_CODES and status < 500:
            raise
        logger.error("export not stored", extra={"error": code or status, "key": key})
        raise _unavailable() from None
    except NETWORK_ERRORS:
        logger.error("export not stored", extra={"error": "unreachable", "key": key})
        raise _unavailable() from None


def _unavailable() -> Unavailable:
    return Unavailable("Export storage unavailable; nothing was exported, try again", 5)


def from_settings(settings: Settings) -> S3ExportStore:
    return S3ExportStore(
        settings.export_bucket,
        region=settings.aws_region,
        url_ttl_seconds=settings.export_url_ttl_seconds,
        endpoint_url=settings.s3_endpoint_url,
    )


@lru_cache(maxsize=1)
def get_export_store() -> S3ExportStore:
    """The store for this execution environment (its client is made on first use)."""
    return from_settings(get_settings())
