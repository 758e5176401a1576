"""The data exports bucket on the local stack (`make run`): a bucket on the moto server that
already serves Cognito and SES, and the settings that point the app at it, as SES's are. Its
presigned URLs are plain http://127.0.0.1:<moto port>/<bucket>/<key> addresses any local
client can fetch (moto does not check their signature or expiry; AWS does)."""

from __future__ import annotations

import os

import boto3

BUCKET = "milequest-exports-local"


def create_bucket(endpoint_url: str, region: str, name: str = BUCKET) -> None:
    """The bucket, encrypted by default and expiring objects after a day like the cloud's
    (infra/exports.py); moto keeps the lifecycle as configuration and never applies it."""
    s3 = boto3.client("s3", region_name=region, endpoint_url=endpoint_url)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=name,
        LifecycleConfiguration={
            "Rules": [
                {"ID": "expire", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}}
            ]
        },
    )


def start(moto_endpoint: str, region: str) -> dict[str, str]:
    create_bucket(moto_endpoint, region)
    env = {"EXPORT_BUCKET": BUCKET, "S3_ENDPOINT_URL": moto_endpoint}
    os.environ.update(env)
    return env
