"""What every bucket of the app shares: private (all public access blocked), TLS only,
S3-managed encryption, kept when a prod stack goes and deleted with a dev one (emptied by hand
or by its lifecycle: no auto-delete custom resource)."""

from __future__ import annotations

from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import EnvConfig


def private_bucket(scope: Construct, cid: str, config: EnvConfig, **props: Any) -> s3.Bucket:
    return s3.Bucket(
        scope,
        cid,
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        removal_policy=RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY,
        auto_delete_objects=False,
        **props,
    )
