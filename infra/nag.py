"""cdk-nag AwsSolutions acknowledgements (cdk-nag v3: CDK's `Validations.of(...).acknowledge`).

Every acknowledgement carries the reason it is accepted, and is attached to the narrowest
construct that needs it (stack-wide only for rules that apply to every function).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

from infra.notifications import DISPATCH_JOB

if TYPE_CHECKING:
    from infra.stack import MileQuestStack

_MANAGED = "arn:<AWS::Partition>:iam::aws:policy/service-role/"
_XRAY = (
    "X-Ray active tracing: xray:PutTraceSegments/PutTelemetryRecords have no resource-level "
    "permissions (added by the Lambda construct)."
)
_METRICS = (
    "cloudwatch:PutMetricData has no resource-level permissions; it is restricted to the "
    "MileQuest namespace by condition."
)

_SUPPRESSION = (
    " ses:GetSuppressedDestination has no resource type (the SES suppression list is account-wide)."
)


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    Validations.of(scope).acknowledge(
        Acknowledgment(id=f"AwsSolutions::AwsSolutions-{rule}", reason=reason)
    )


def suppress(stack: MileQuestStack) -> None:
    config = stack.config
    acknowledge(
        stack,
        "L1",
        "Python 3.12 is the runtime the code and its dependency layer are built and tested for; "
        "runtime upgrades are a deliberate change of the build (infra/bundling.py).",
    )

    # Network
    for sg in (stack.network.endpoint_sg,):
        acknowledge(sg, "EC23", "Ingress only from the function security groups.")

    # Auth
    pool = stack.auth.user_pool
    acknowledge(
        pool,
        "COG1",
        "Password policy is the product's (docs/domain.md): at least 8 characters with upper, "
        "lower and digits; symbols are not required.",
    )
    acknowledge(
        pool,
        "COG2",
        "MFA is optional (TOTP) for a consumer fitness app; making it mandatory is a product "
        "decision.",
    )

    if not config.is_prod:
        acknowledge(
            pool,
            "COG8",
            "Dev runs on the Essentials feature plan (cost); prod uses Plus with threat "
            "protection enforced.",
        )

    # Database
    db = stack.database
    acknowledge(
        db.instance,
        "RDS11",
        "Default port: the database is only reachable from the proxy and migration security "
        "groups inside isolated subnets.",
    )
    if not config.is_prod:
        acknowledge(db.instance, "RDS10", "Deletion protection is on in prod only.")
    if not config.db_multi_az:
        acknowledge(db.instance, "RDS3", "Multi-AZ is on in prod only (cost).")
    if db.replica is not None:
        acknowledge(db.replica, "RDS2", "Read replicas inherit encryption from the source.")
        acknowledge(db.replica, "RDS3", "The replica is a read scale-out, not a standby.")
        acknowledge(db.replica, "RDS11", "Default port; reachable only from inside the VPC.")
    migration_role = db.migration_fn.role
    assert migration_role is not None
    acknowledge(
        migration_role,
        f"IAM4[Policy::{_MANAGED}AWSLambdaBasicExecutionRole]",
        "AWS managed policy for Lambda logging.",
    )
    acknowledge(
        migration_role,
        f"IAM4[Policy::{_MANAGED}AWSLambdaVPCAccessExecutionRole]",
        "AWS managed policy for Lambda ENIs in the VPC.",
    )
    acknowledge(migration_role, "IAM5[Resource::*]", _XRAY)
    fn_arn = stack.resolve(db.migration_fn.function_arn)["Fn::GetAtt"][0]
    acknowledge(
        db.migration_framework_role,
        f"IAM5[Resource::<{fn_arn}.Arn>:*]",
        "The custom resource Provider's grant to invoke the migration function also names its "
        "versions and aliases (`<arn>:*`, lambda grant_invoke); the framework invokes the "
        "unqualified function, and no other function is reachable.",
    )

    # API
    for role in stack.api.roles.all:
        acknowledge(
            role,
            f"IAM4[Policy::{_MANAGED}AWSLambdaVPCAccessExecutionRole]",
            "AWS managed policy for Lambda logging and ENIs in the VPC.",
        )
        acknowledge(role, "IAM5[Resource::*]", f"{_METRICS} {_XRAY}")

    bucket = stack.resolve(stack.exports.bucket.bucket_arn)["Fn::GetAtt"][0]
    acknowledge(
        stack.api.roles.export,
        f"IAM5[Resource::<{bucket}.Arn>/exports/*]",
        "Each export is a new object with a random key under exports/<user id>/ (docs/domain.md"
        "#data-export): the export function puts and reads objects under that prefix only, "
        "never lists or deletes.",
    )

    # Jobs: one role each (per-job grants stay with their job).
    for name, role in stack.jobs.roles.items():
        acknowledge(
            role,
            f"IAM4[Policy::{_MANAGED}AWSLambdaVPCAccessExecutionRole]",
            "AWS managed policy for Lambda logging and ENIs in the VPC.",
        )
        ses = _SUPPRESSION if name == DISPATCH_JOB else ""
        acknowledge(role, "IAM5[Resource::*]", f"{_METRICS} {_XRAY}{ses}")
    acknowledge(
        stack.jobs.dlq,
        "SQS3",
        "This queue is the dead-letter queue of the scheduled jobs (Lambda on-failure "
        "destination and EventBridge target DLQ); its depth is alarmed.",
    )
    for area in stack.api.areas.values():
        for route_construct in area.public_routes:
            acknowledge(
                route_construct,
                "APIG4",
                "Public route by design (auth=False in functions/registry.py).",
            )

    # Notifications
    acknowledge(
        stack.notifications.vapid_secret,
        "SMG4",
        "The VAPID key pair cannot be rotated automatically: every browser's push subscription "
        "is bound to the public key, so a new pair means every user subscribes again. It is put "
        "once and replaced deliberately (infra/README.md).",
    )

    # CDN
    dist = stack.cdn.distribution
    acknowledge(
        dist,
        "CFR1",
        "The API serves a worldwide audience; no geo restriction.",
    )
    acknowledge(
        stack.cdn.log_bucket,
        "S1",
        "This bucket holds CloudFront's standard logs; logging its own access would only log "
        "the log delivery.",
    )
    acknowledge(
        dist,
        "CFR4",
        "Uses the default *.cloudfront.net certificate until a custom domain exists; the "
        "minimum protocol version is set to TLSv1.2_2021 for when it does.",
    )
