"""The Cognito user pool, through boto3 `cognito-idp`: the only module that talks to it.

Every Cognito error is turned into a domain error by milequest.cognito_errors (one table, no
message matching): the routes and the domain only ever see `milequest.domain.errors`.

The client is built lazily from settings (region, and `cognito_endpoint_url` for the local
emulator), never at import time, and reused for the life of the execution environment.

The local emulator (moto 5) and codes: `confirm_sign_up` ignores the code entirely, and
`confirm_forgot_password` only checks codes that start with "moto-confirmation-code:" (an opt-in
moto feature), so any six-digit code such as 123456 verifies an email or resets a password
locally (docs/architecture.md#local-development). moto does not implement
`ResendConfirmationCode` nor `RevokeToken`, and its `GlobalSignOut` only looks in the default
region's pools (the call is unsigned): resending is skipped against the emulator (it never
delivers codes and accepts any), and sign-out there uses `AdminUserGlobalSignOut`, which it does
implement. moto's `ConfirmForgotPassword` does not apply the password policy (real Cognito
does).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from botocore.config import Config

from milequest.cognito_errors import translated
from milequest.config import Settings, get_settings
from milequest.domain.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Unavailable,
)

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int
    token_type: str = "Bearer"


@dataclass(frozen=True)
class SignUp:
    sub: str
    confirmed: bool


def unverified_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, WITHOUT checking its signature.

    Only for tokens this process just received from Cognito itself, over TLS, in the response to
    its own `InitiateAuth` call: their origin is already established by the channel, so a
    signature check would prove nothing more (and would cost a JWKS fetch). Never use this on
    a token that came from a client.
    """
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as exc:
        raise Unavailable("Sign-in service returned an unreadable token") from exc
    if not isinstance(data, dict):
        raise Unavailable("Sign-in service returned an unreadable token")
    return data


class Cognito:
    """The user pool operations Mile Quest uses. Usernames are emails (the pool signs in by
    email); callers pass them already normalised to lower case."""

    def __init__(
        self,
        client: CognitoIdentityProviderClient,
        user_pool_id: str,
        client_id: str,
        *,
        emulated: bool = False,
    ) -> None:
        self._client = client
        self._pool = user_pool_id
        self._app = client_id
        self._emulated = emulated

    def sign_up(self, email: str, password: str, name: str) -> SignUp:
        with translated("sign_up"):
            out = self._client.sign_up(
                ClientId=self._app,
                Username=email,
                Password=password,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "name", "Value": name},
                ],
            )
        return SignUp(sub=out["UserSub"], confirmed=bool(out["UserConfirmed"]))

    def confirm_sign_up(self, email: str, code: str) -> None:
        with translated("confirm_sign_up"):
            self._client.confirm_sign_up(ClientId=self._app, Username=email, ConfirmationCode=code)

    def resend_code(self, email: str) -> None:
        with translated("resend_code"):
            if self._emulated:
                self._emulated_resend(email)
                return
            self._client.resend_confirmation_code(ClientId=self._app, Username=email)

    def _emulated_resend(self, email: str) -> None:
        # moto has no ResendConfirmationCode; it never delivers codes and accepts any, so
        # answer as Cognito would without sending anything.
        user = self._client.admin_get_user(UserPoolId=self._pool, Username=email)
        if user.get("UserStatus") != "UNCONFIRMED":
            raise Conflict("Email address already verified")

    def login(self, email: str, password: str) -> Tokens:
        with translated("login"):
            out = self._client.initiate_auth(
                ClientId=self._app,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password},
            )
        return self._tokens(out, None)

    def refresh(self, refresh_token: str) -> Tokens:
        with translated("refresh"):
            out = self._client.initiate_auth(
                ClientId=self._app,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token},
            )
        # Without refresh-token rotation Cognito returns no new refresh token: the old one stays.
        return self._tokens(out, refresh_token)

    def sign_out(
        self,
        username: str | None = None,
        *,
        access_token: str | None = None,
        refresh_token: str | None = None,
    ) -> None:
        """Make refresh tokens stop working. With `refresh_token`: that session (RevokeToken);
        with `access_token`: every session of its user, on the token's own authority (Cognito
        checks it: GlobalSignOut); with only `username`: every session, by the admin API.
        Access and ID tokens already issued stay valid for API Gateway's JWT authorizer until
        they expire (it checks signature and expiry, not revocation)."""
        with translated("sign_out"):
            if self._emulated:
                self._emulated_sign_out(username, access_token, refresh_token)
                return
            if refresh_token is not None:
                self._client.revoke_token(ClientId=self._app, Token=refresh_token)
            if access_token is not None:
                self._client.global_sign_out(AccessToken=access_token)
            if username is not None and refresh_token is None and access_token is None:
                self._client.admin_user_global_sign_out(UserPoolId=self._pool, Username=username)

    def _emulated_sign_out(
        self, username: str | None, access_token: str | None, refresh_token: str | None
    ) -> None:
        # moto has no RevokeToken, and its GlobalSignOut only searches the pools of the
        # request's default region (us-east-1 for an unsigned call), so it answers
        # NotAuthorized for our pool: the admin sign-out is the one that works there. The
        # tokens name the user (GetUser checks them); moto ends the sessions recorded under
        # the exact name used to sign in (the email), not under the sub the tokens carry.
        if access_token is None and refresh_token is not None:
            out = self._client.initiate_auth(
                ClientId=self._app,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token},
            )
            access_token = out["AuthenticationResult"]["AccessToken"]
        if access_token is not None:
            username = self._client.get_user(AccessToken=access_token)["Username"]
        if username is None:
            return
        user = self._client.admin_get_user(UserPoolId=self._pool, Username=username)
        attrs = {a["Name"]: a.get("Value") for a in user.get("UserAttributes", [])}
        self._client.admin_user_global_sign_out(
            UserPoolId=self._pool, Username=attrs.get("email") or username
        )

    def forgot_password(self, email: str) -> None:
        with translated("forgot_password"):
            self._client.forgot_password(ClientId=self._app, Username=email)

    def confirm_forgot_password(self, email: str, code: str, new_password: str) -> None:
        with translated("confirm_forgot_password"):
            self._client.confirm_forgot_password(
                ClientId=self._app, Username=email, ConfirmationCode=code, Password=new_password
            )

    def delete_user(self, username: str) -> None:
        """Remove the identity; an identity already gone is the outcome asked for."""
        try:
            with translated("delete_user"):
                self._client.admin_delete_user(UserPoolId=self._pool, Username=username)
        except NotFound:
            pass

    @staticmethod
    def _tokens(out: Any, refresh_token: str | None) -> Tokens:
        result = out.get("AuthenticationResult")
        if not result:
            # A challenge (MFA, NEW_PASSWORD_REQUIRED): the pool is configured for neither.
            raise Forbidden(f"Additional sign-in step required: {out.get('ChallengeName')}")
        return Tokens(
            access_token=result["AccessToken"],
            id_token=result["IdToken"],
            refresh_token=result.get("RefreshToken") or refresh_token,
            expires_in=int(result.get("ExpiresIn", 3600)),
            token_type=result.get("TokenType") or "Bearer",
        )


def from_settings(settings: Settings) -> Cognito:
    import boto3  # imported here: modules that never sign anyone in do not pay for it

    if not settings.cognito_user_pool_id or not settings.cognito_client_id:
        raise RuntimeError("COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID must be set")
    client = boto3.client(
        "cognito-idp",
        region_name=settings.aws_region,
        endpoint_url=settings.cognito_endpoint_url,
        config=Config(connect_timeout=3, read_timeout=5, retries={"mode": "standard"}),
    )
    return Cognito(
        client,
        settings.cognito_user_pool_id,
        settings.cognito_client_id,
        emulated=settings.cognito_endpoint_url is not None,
    )


@lru_cache(maxsize=1)
def get_cognito() -> Cognito:
    """The pool for this execution environment, built on first use from the settings."""
    settings = get_settings()
    if not settings.cognito_user_pool_id:
        # Settings cached before the pool existed (the local server migrates, then starts its
        # emulator and exports COGNITO_*): read the environment once more.
        get_settings.cache_clear()
        settings = get_settings()
    return from_settings(settings)
