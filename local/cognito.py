"""A Cognito user pool for local development and tests: moto's emulator in server mode, bound to
127.0.0.1, reached through the same boto3 `cognito-idp` calls production makes."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import boto3
from moto.server import ThreadedMotoServer

REGION = "eu-west-1"


@dataclass(frozen=True)
class LocalCognito:
    endpoint_url: str
    user_pool_id: str
    client_id: str
    region: str = REGION

    @property
    def issuer(self) -> str:
        # moto signs tokens with the issuer real Cognito uses.
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        return f"{self.endpoint_url}/{self.user_pool_id}/.well-known/jwks.json"

    def export(self) -> None:
        """Point the app's settings (and boto3) at the emulator."""
        os.environ.update(
            COGNITO_ENDPOINT_URL=self.endpoint_url,
            COGNITO_USER_POOL_ID=self.user_pool_id,
            COGNITO_CLIENT_ID=self.client_id,
            AWS_REGION=self.region,
            AWS_DEFAULT_REGION=self.region,
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fake_credentials() -> None:
    # The emulator accepts any credentials; never let a developer's real ones be used.
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)


def create_pool(endpoint_url: str, region: str = REGION) -> LocalCognito:
    """Create a user pool and app client configured like the production one (infra/auth)."""
    client = boto3.client("cognito-idp", region_name=region, endpoint_url=endpoint_url)
    pool = client.create_user_pool(
        PoolName="milequest-local",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 8,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": False,
            }
        },
        Schema=[{"Name": "name", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]
    app = client.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="milequest-web",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        EnableTokenRevocation=True,
    )["UserPoolClient"]
    return LocalCognito(endpoint_url, pool["Id"], app["ClientId"], region)


def start(port: int | None = None) -> tuple[ThreadedMotoServer, LocalCognito]:
    _fake_credentials()
    port = port or free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, create_pool(f"http://127.0.0.1:{port}")
