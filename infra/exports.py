"""The data exports bucket (docs/domain.md#data-export): where an export too large to answer
inline is written, for the client to fetch through the presigned GET the 303 points at.

Private (every public access blocked, objects owned by the bucket owner, no ACLs), TLS only,
S3-managed encryption (as the other bucket of the app, the CloudFront logs), every object
deleted a day after it was written: an export is fetched within the URL's 15 minutes, and a
copy kept longer is personal data kept for nothing. Access is logged into the logs bucket (and
expires with its logs).
Only the export route's function may write and read, and only under `exports/`: its own role
(infra/function_roles.py), no list, no delete.

CORS: a browser that follows the 303 fetches the object cross-origin. Coming from the API's
origin, the redirect makes the browser send `Origin: null` (the Fetch standard's tainted
origin), so "null" is allowed besides the web origins the API allows (which the browser sends
when the API shares the web client's origin). The URL itself is the credential; CORS only lets
the page read what it was handed.
"""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.api import CORS_ALLOW_HEADERS
from infra.buckets import private_bucket
from infra.config import EnvConfig

PREFIX = "exports/"  # milequest.export_store.PREFIX
LOG_PREFIX = "s3/exports/"  # in the logs bucket, beside CloudFront's cloudfront/
OBJECT_ACTIONS = ["s3:PutObject", "s3:GetObject"]
# What a fetch that followed a cross-origin redirect sends as its Origin.
REDIRECTED_ORIGIN = "null"


class Exports(Construct):
    def __init__(
        self, scope: Construct, cid: str, *, config: EnvConfig, access_logs: s3.IBucket
    ) -> None:
        super().__init__(scope, cid)
        self.bucket = private_bucket(
            self,
            "Bucket",
            config,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=Duration.days(1),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                )
            ],
            cors=[
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                    allowed_origins=[*config.cors_allowed_origins, REDIRECTED_ORIGIN],
                    # What the client sent the API may still be on the redirected request.
                    allowed_headers=list(CORS_ALLOW_HEADERS),
                    exposed_headers=["Content-Disposition"],
                    max_age=3600,
                )
            ],
        )
        cfn = self.bucket.node.default_child
        assert isinstance(cfn, s3.CfnBucket)
        self._log_into(cfn, access_logs)
        # This bucket's only checkov exception, on the bucket itself (.ci/checkov.yaml skips
        # checks everywhere): versions would keep each export past its day, for nothing.
        cfn.add_metadata(
            "checkov",
            {
                "skip": [
                    {
                        "id": "CKV_AWS_21",
                        "comment": "Unversioned: each object is written once under a new key "
                        "and must be gone a day later; old versions would keep personal data.",
                    }
                ]
            },
        )

    def _log_into(self, cfn: s3.CfnBucket, logs_bucket: s3.IBucket) -> None:
        """Server access logs (who fetched which export, when) under LOG_PREFIX of the logs
        bucket, allowed by that bucket's policy. Not CDK's `server_access_logs_bucket`: on a
        bucket with ACLs (the CloudFront logs bucket needs them) it sets the LogDeliveryWrite
        canned ACL, which would replace the grant CloudFront's log delivery holds there."""
        cfn.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=logs_bucket.bucket_name, log_file_prefix=LOG_PREFIX
        )
        logs_bucket.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
                actions=["s3:PutObject"],
                resources=[logs_bucket.arn_for_objects(f"{LOG_PREFIX}*")],
                conditions={
                    "ArnLike": {"aws:SourceArn": self.bucket.bucket_arn},
                    "StringEquals": {"aws:SourceAccount": Stack.of(self).account},
                },
            )
        )

    def wire(self, function: lambda_.Function, role: iam.IRole) -> None:
        """The bucket's name for the export function, and its role's object rights."""
        function.add_environment("EXPORT_BUCKET", self.bucket.bucket_name)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=OBJECT_ACTIONS, resources=[self.bucket.arn_for_objects(f"{PREFIX}*")]
            )
        )
