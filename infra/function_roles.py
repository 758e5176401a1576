"""What route functions share: their environment (what milequest.config.Settings reads) and
a few execution roles (standard, Cognito admin, notifications, export) instead of one per
function."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.auth import Auth
from infra.config import EnvConfig
from infra.database import Database
from infra.functions import function_role
from milequest import allocator
from milequest.api.routing import Route

# Areas whose handlers call Cognito's admin APIs.
COGNITO_ADMIN_AREAS = frozenset({"auth", "users"})
COGNITO_ADMIN_ACTIONS = [
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminDisableUser",
]
# Areas that read the VAPID key pair secret (infra/notifications.py grants it to this role).
NOTIFICATION_AREAS = frozenset({"notifications"})
# The one route that writes to and reads from the exports bucket (infra/exports.py grants it to
# its own role): no other users route gets S3, and it gets no Cognito admin rights.
EXPORT_ROUTE = "GET /users/me/export"


def function_environment(
    config: EnvConfig, database: Database, auth: Auth, version: str
) -> dict[str, str]:
    """What milequest.config.Settings reads in Lambda."""
    return {
        "DB_HOST": database.proxy_endpoint,
        **({"DB_READ_HOST": database.read_host} if database.read_host else {}),
        "DB_PORT": "5432",
        "DB_NAME": config.db_name,
        "DB_USER": config.db_app_user,
        "DB_IAM_AUTH": "true",
        "DB_MODE": "single",
        "COGNITO_USER_POOL_ID": auth.user_pool.user_pool_id,
        "COGNITO_CLIENT_ID": auth.client.user_pool_client_id,
        "ROUTE_PROVIDER": config.route_provider,
        "STAGE": config.name,
        "VERSION": version,
        "POWERTOOLS_SERVICE_NAME": "milequest",
        "POWERTOOLS_METRICS_NAMESPACE": "MileQuest",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        **allocator.ENVIRONMENT,  # glibc's, read at start (docs/architecture.md#memory)
    }


class FunctionRoles(Construct):
    """Shared execution roles: one per route class instead of one per function."""

    def __init__(self, scope: Construct, cid: str, *, database: Database, auth: Auth) -> None:
        super().__init__(scope, cid)
        self.default = function_role(self, "Standard", "MileQuest route/job functions")
        self.cognito = function_role(
            self, "CognitoAdmin", "MileQuest route functions that call Cognito admin APIs"
        )
        self.cognito.add_to_policy(
            iam.PolicyStatement(
                actions=COGNITO_ADMIN_ACTIONS, resources=[auth.user_pool.user_pool_arn]
            )
        )
        # Its own role so the VAPID secret is readable by this area only, not by every route.
        self.notifications = function_role(
            self,
            "Notifications",
            "MileQuest route functions that serve Web Push (read the VAPID secret)",
        )

        self.export = function_role(
            self, "Export", "MileQuest data export route (writes and signs its exports bucket)"
        )

    @property
    def all(self) -> tuple[iam.Role, ...]:
        return (self.default, self.cognito, self.notifications, self.export)

    def for_route(self, route: Route) -> iam.Role:
        if route.key == EXPORT_ROUTE:
            return self.export
        if route.area in COGNITO_ADMIN_AREAS:
            return self.cognito
        if route.area in NOTIFICATION_AREAS:
            return self.notifications
        return self.default
