"""What the notifications feature needs from the infrastructure: the VAPID key pair secret, the
SES sender identity, and the settings and grants of the functions that send or serve them.

Only the dispatcher job and the notifications area read the VAPID secret (the area's own route
role, infra/function_roles.py); only the dispatcher may send email, and only as the sender's
domain identity. The shares area needs just the public base URL of its links.
"""

from __future__ import annotations

from aws_cdk import SecretValue, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ses as ses
from constructs import Construct

from infra.config import EnvConfig
from infra.function_roles import NOTIFICATION_AREAS

DISPATCH_JOB = "dispatch_notifications"
# Areas whose answers carry links to the public site (share URLs).
PUBLIC_URL_AREAS = frozenset({"notifications", "shares"})
SEND_ACTIONS = ["ses:SendEmail", "ses:SendRawEmail"]


class Notifications(Construct):
    def __init__(self, scope: Construct, cid: str, *, config: EnvConfig) -> None:
        super().__init__(scope, cid)
        self.config = config
        # Secrets Manager cannot generate a P-256 key: the secret starts with empty values
        # (the API answers "not configured" until then) and the key pair is put once by hand
        # (infra/README.md). A generated random string would look like a key and be wrong.
        self.vapid_secret = secretsmanager.Secret(
            self,
            "VapidKeys",
            description=f"MileQuest {config.name} Web Push VAPID key pair (privateKey, publicKey)",
            secret_object_value={
                "privateKey": SecretValue.unsafe_plain_text(""),
                "publicKey": SecretValue.unsafe_plain_text(""),
            },
        )
        self.sender_identity = ses.EmailIdentity(
            self, "Sender", identity=ses.Identity.domain(config.email_domain)
        )
        self.sender_identity_arn = Stack.of(self).format_arn(
            service="ses", resource="identity", resource_name=config.email_domain
        )

    def environment(self) -> dict[str, str]:
        """What the functions that send or serve notifications read (milequest.config)."""
        return {
            "VAPID_SECRET_ARN": self.vapid_secret.secret_arn,
            "VAPID_SUBJECT": f"mailto:{self.config.email_sender}",
            "EMAIL_FROM": self.config.email_from,
        }

    def send_statements(self) -> list[iam.PolicyStatement]:
        return [
            iam.PolicyStatement(actions=SEND_ACTIONS, resources=[self.sender_identity_arn]),
            # The dispatcher asks about the account-level suppression list (no TenantName; SES
            # tenants' own lists are not used), which no ARN names: "*" is the only resource.
            # https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetSuppressedDestination.html
            # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsimpleemailservicev2.html
            iam.PolicyStatement(actions=["ses:GetSuppressedDestination"], resources=["*"]),
        ]

    def wire(
        self,
        *,
        area_functions: dict[str, list[lambda_.Function]],
        route_role: iam.IRole,
        dispatcher: lambda_.Function | None,
        public_base_url: str,
    ) -> None:
        """Settings and grants for the notification areas' functions and the dispatcher."""
        self.vapid_secret.grant_read(route_role)
        for area, functions in area_functions.items():
            for fn in functions:
                if area in NOTIFICATION_AREAS:
                    for key, value in self.environment().items():
                        fn.add_environment(key, value)
                if area in PUBLIC_URL_AREAS:
                    fn.add_environment("PUBLIC_BASE_URL", public_base_url)
        if dispatcher is None:
            return
        for key, value in {**self.environment(), "PUBLIC_BASE_URL": public_base_url}.items():
            dispatcher.add_environment(key, value)
        role = dispatcher.role
        assert role is not None
        self.vapid_secret.grant_read(role)
        for statement in self.send_statements():
            role.add_to_principal_policy(statement)
