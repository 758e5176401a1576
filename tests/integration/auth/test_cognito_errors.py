"""Cognito errors the emulator cannot produce (throttling, bad codes, real password policy),
injected with botocore's Stubber, mapped through the routes to the API's errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from milequest.cognito import Cognito
from tests.integration.auth.conftest import CODE, PASSWORD, new_email
from tests.support.api import call


def _cloud_pool() -> tuple[Any, Cognito]:
    """A pool as in the cloud (not emulated) on a client whose answers a Stubber gives."""
    client = boto3.client(
        "cognito-idp",
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return client, Cognito(client, "eu-west-1_pool", "client", emulated=False)


@pytest.fixture
def stub(monkeypatch) -> Iterator[Stubber]:
    client, pool = _cloud_pool()
    monkeypatch.setattr("functions.auth.auth.get_cognito", lambda: pool)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def _fail(stub: Stubber, op: str, code: str, message: str = "boom") -> None:
    stub.add_client_error(
        op, service_error_code=code, service_message=message, http_status_code=400
    )


LOGIN: dict[str, Any] = {"email": "x@example.com", "password": PASSWORD}


@pytest.mark.parametrize(
    ("code", "status", "api_code"),
    [
        ("NotAuthorizedException", 401, "UNAUTHORIZED"),
        ("UserNotFoundException", 401, "UNAUTHORIZED"),
        ("UserNotConfirmedException", 403, "EMAIL_NOT_VERIFIED"),
        ("TooManyRequestsException", 429, "RATE_LIMITED"),
        ("LimitExceededException", 429, "RATE_LIMITED"),
        ("InternalErrorException", 503, "UNAVAILABLE"),
    ],
)
def test_login_errors(stub, code, status, api_code) -> None:
    _fail(stub, "initiate_auth", code)
    r = call("POST", "/auth/login", json_body=LOGIN)
    assert (r.status, r.code) == (status, api_code)
    if status in (429, 503):
        assert int(r.headers["Retry-After"]) > 0


def test_register_password_policy_message_is_in_details(stub) -> None:
    _fail(stub, "sign_up", "InvalidPasswordException", "Password must have symbol characters")
    r = call(
        "POST",
        "/auth/register",
        json_body={"email": new_email(), "password": "weakpassword", "name": "W"},
    )
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")
    assert r.error["details"] == [
        {"field": "password", "message": "Password must have symbol characters"}
    ]


@pytest.mark.parametrize("code", ["CodeMismatchException", "ExpiredCodeException"])
def test_bad_codes_are_400(stub, code) -> None:
    _fail(stub, "confirm_sign_up", code)
    r = call("POST", "/auth/verify-email", json_body={"email": new_email(), "code": CODE})
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")
    assert r.error["details"][0]["field"] == "code"
    _fail(stub, "confirm_forgot_password", code)
    r = call(
        "POST",
        "/auth/reset-password",
        json_body={"email": new_email(), "code": CODE, "newPassword": PASSWORD},
    )
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")


def test_reset_password_policy_names_new_password(stub) -> None:
    _fail(stub, "confirm_forgot_password", "InvalidPasswordException", "Too short")
    r = call(
        "POST",
        "/auth/reset-password",
        json_body={"email": new_email(), "code": CODE, "newPassword": "short"},
    )
    assert r.error["details"] == [{"field": "newPassword", "message": "Too short"}]


@pytest.mark.parametrize(
    "code", ["UserNotFoundException", "InvalidParameterException", "NotAuthorizedException"]
)
def test_forgot_password_hides_whether_the_account_exists(stub, code) -> None:
    _fail(stub, "forgot_password", code)
    r = call("POST", "/auth/forgot-password", json_body={"email": new_email()})
    assert (r.status, r.data) == (200, {"sent": True})


def test_forgot_password_throttled_is_429(stub) -> None:
    _fail(stub, "forgot_password", "LimitExceededException")
    r = call("POST", "/auth/forgot-password", json_body={"email": new_email()})
    assert (r.status, r.code) == (429, "RATE_LIMITED")


def test_resend_code_uses_resend_confirmation_code_in_the_cloud(stub) -> None:
    stub.add_response("resend_confirmation_code", {"CodeDeliveryDetails": {}})
    assert call("POST", "/auth/resend-code", json_body={"email": new_email()}).status == 200
    _fail(stub, "resend_confirmation_code", "UserNotFoundException")
    assert call("POST", "/auth/resend-code", json_body={"email": new_email()}).status == 200


def test_refresh_revoked_is_401(stub) -> None:
    _fail(stub, "initiate_auth", "NotAuthorizedException", "Refresh Token has been revoked")
    r = call("POST", "/auth/refresh", json_body={"refreshToken": "x"})
    assert (r.status, r.code) == (401, "UNAUTHORIZED")


def test_unexpected_cognito_error_is_a_500_without_details(stub) -> None:
    _fail(stub, "initiate_auth", "SomethingNewException", "secret internals")
    r = call("POST", "/auth/login", json_body=LOGIN)
    assert (r.status, r.code) == (500, "INTERNAL_ERROR")
    assert "secret" not in str(r.body)


def test_sign_out_in_the_cloud_picks_the_right_call() -> None:
    client, pool = _cloud_pool()
    with Stubber(client) as stub:
        # Both given: both are revoked (the session of the refresh token, every session of the
        # access token's user).
        stub.add_response("revoke_token", {}, {"ClientId": "client", "Token": "refresh"})
        stub.add_response("global_sign_out", {}, {"AccessToken": "access"})
        stub.add_response("global_sign_out", {}, {"AccessToken": "access"})
        stub.add_response(
            "admin_user_global_sign_out", {}, {"UserPoolId": "eu-west-1_pool", "Username": "sub"}
        )
        pool.sign_out(access_token="access", refresh_token="refresh")
        pool.sign_out(access_token="access")
        pool.sign_out("sub")
        stub.assert_no_pending_responses()
