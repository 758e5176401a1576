"""Auth routes against moto's Cognito emulator, called as API Gateway would."""

from __future__ import annotations

from typing import Any

import jwt
import psycopg

from tests.integration.auth.conftest import CODE, PASSWORD, new_email, register
from tests.support.api import TestUser, call


def bearer(token: str) -> tuple[TestUser, dict[str, str]]:
    """The caller API Gateway's JWT authorizer would pass for this (already verified) token."""
    claims = jwt.decode(token, options={"verify_signature": False})
    user = TestUser(
        sub=claims["sub"],
        email=claims.get("email", ""),
        name=claims.get("name", ""),
        extra_claims=claims,
    )
    return user, {"Authorization": f"Bearer {token}"}


def users_row(db: psycopg.Connection[Any], user_id: str) -> tuple[Any, ...]:
    row = db.execute(
        """SELECT cognito_id, email::text, name, email_verified, timezone, preferred_units,
                  deleted_at FROM users WHERE id = %s""",
        (user_id,),
    ).fetchone()
    assert row is not None
    return row


def test_register_creates_cognito_user_and_users_row(cognito, idp, db) -> None:
    email = new_email()
    r = register(email.upper(), name="Ada", timezone="Europe/London", preferredUnits="imperial")
    assert r.status == 201
    data = r.data
    assert data["requiresVerification"] is True
    user = data["user"]
    assert user["email"] == email  # normalised to lower case
    assert user["name"] == "Ada"
    assert user["emailVerified"] is False
    assert user["timezone"] == "Europe/London"
    assert user["preferredUnits"] == "imperial"
    assert set(user) == {
        "id", "email", "name", "avatarUrl", "emailVerified", "timezone", "preferredUnits",
        "locale", "createdAt",
    }  # fmt: skip
    cognito_id, row_email, _, verified, *_ = users_row(db, user["id"])
    assert row_email == email and verified is False
    pool_user = idp.admin_get_user(UserPoolId=cognito.user_pool_id, Username=email)
    assert pool_user["UserStatus"] == "UNCONFIRMED"
    attrs = {a["Name"]: a["Value"] for a in pool_user["UserAttributes"]}
    assert attrs["sub"] == cognito_id
    assert db.execute(
        "SELECT count(*) FROM user_stats WHERE user_id = %s", (user["id"],)
    ).fetchone() == (1,)


def test_register_defaults_timezone_and_units(cognito) -> None:
    user = register(new_email()).data["user"]
    assert (user["timezone"], user["preferredUnits"]) == ("UTC", "metric")


def test_register_same_email_twice_is_409(cognito) -> None:
    email = new_email()
    assert register(email).status == 201
    r = register(email.upper())
    assert (r.status, r.code) == (409, "CONFLICT")


def test_register_weak_password_is_400_with_cognitos_message(cognito) -> None:
    r = register(new_email(), password="short")
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")
    assert r.error["details"][0]["field"] == "password"
    assert "password policy" in r.error["details"][0]["message"]


def test_register_validates_body(cognito) -> None:
    r = call(
        "POST",
        "/auth/register",
        json_body={"email": "not-an-email", "password": PASSWORD, "name": "", "timezone": "Mars/X"},
    )
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")
    fields = {d["field"] for d in r.error["details"]}
    assert {"email", "name", "timezone"} <= fields
    r = call(
        "POST",
        "/auth/register",
        json_body={
            "email": new_email(),
            "password": PASSWORD,
            "name": "A",
            "preferredUnits": "furlongs",
        },
    )
    assert r.status == 400 and r.error["details"][0]["field"] == "preferredUnits"


def test_login_before_verification_is_403_email_not_verified(cognito) -> None:
    email = new_email()
    register(email)
    r = call("POST", "/auth/login", json_body={"email": email, "password": PASSWORD})
    assert (r.status, r.code) == (403, "EMAIL_NOT_VERIFIED")


def test_verify_then_login_returns_user_and_tokens(cognito, db) -> None:
    email = new_email()
    user_id = register(email).data["user"]["id"]
    r = call("POST", "/auth/verify-email", json_body={"email": email, "code": CODE})
    assert r.data == {"verified": True}
    assert users_row(db, user_id)[3] is True
    r = call("POST", "/auth/login", json_body={"email": email.upper(), "password": PASSWORD})
    assert r.status == 200
    data = r.data
    assert data["user"]["id"] == user_id
    assert data["user"]["emailVerified"] is True
    tokens = data["tokens"]
    assert tokens["tokenType"] == "Bearer"
    assert tokens["expiresIn"] > 0
    assert tokens["accessToken"] and tokens["idToken"] and tokens["refreshToken"]
    assert r.headers["Cache-Control"] == "private, no-store"


def test_verify_code_must_be_six_digits(cognito) -> None:
    r = call("POST", "/auth/verify-email", json_body={"email": new_email(), "code": "12ab"})
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")


def test_verify_unknown_email_is_400(cognito) -> None:
    r = call("POST", "/auth/verify-email", json_body={"email": new_email(), "code": CODE})
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")


def test_login_wrong_password_and_unknown_email_are_the_same_401(cognito, signed_up) -> None:
    acct = signed_up()
    wrong = call("POST", "/auth/login", json_body={"email": acct.email, "password": "Nope1234x"})
    unknown = call("POST", "/auth/login", json_body={"email": new_email(), "password": PASSWORD})
    assert (wrong.status, wrong.code) == (401, "UNAUTHORIZED")
    assert (unknown.status, unknown.code) == (401, "UNAUTHORIZED")
    assert wrong.error["message"] == unknown.error["message"]


def test_login_creates_the_row_when_registration_lost_it(cognito, idp, db) -> None:
    # A Cognito user with no users row (the registration's database write failed).
    email = new_email()
    out = idp.sign_up(
        ClientId=cognito.client_id,
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "Lost"}],
    )
    idp.confirm_sign_up(ClientId=cognito.client_id, Username=email, ConfirmationCode=CODE)
    data = call("POST", "/auth/login", json_body={"email": email, "password": PASSWORD}).data
    assert data["user"]["email"] == email
    assert users_row(db, data["user"]["id"])[0] == out["UserSub"]


def test_refresh_returns_new_tokens(cognito, signed_up) -> None:
    acct = signed_up()
    r = call("POST", "/auth/refresh", json_body={"refreshToken": acct.tokens["refreshToken"]})
    tokens = r.data["tokens"]
    assert tokens["accessToken"] and tokens["idToken"]
    assert tokens["refreshToken"] == acct.tokens["refreshToken"]


def test_refresh_with_garbage_is_401(cognito) -> None:
    r = call("POST", "/auth/refresh", json_body={"refreshToken": "not-a-token"})
    assert (r.status, r.code) == (401, "UNAUTHORIZED")


def test_logout_needs_neither_token_nor_body(cognito) -> None:
    # The web client posts nothing at all, and a non-2xx would leave it signed in.
    r = call("POST", "/auth/logout")
    assert (r.status, r.data) == (200, {})
    forged = {"Authorization": "Bearer not.a.token"}
    assert call("POST", "/auth/logout", headers=forged).status == 200
    r = call("POST", "/auth/logout", json_body={"refreshToken": "garbage"})
    assert (r.status, r.data) == (200, {})


def test_auth_answers_repeat_data_at_the_top_level(cognito, signed_up) -> None:
    acct = signed_up()
    r = call("POST", "/auth/login", json_body={"email": acct.email, "password": acct.password})
    assert r.status == 200
    assert r.body["user"] == r.data["user"] and r.body["tokens"] == r.data["tokens"]
    r = call("POST", "/auth/login", json_body={"email": acct.email, "password": "Wrong-1234"})
    assert r.status == 401
    assert isinstance(r.body["message"], str) and r.body["message"] == r.error["message"]
    r = call("POST", "/auth/login", raw_body=b"{")
    assert r.status == 400 and isinstance(r.body["message"], str)


def test_logout_with_access_token_ends_refresh(cognito, signed_up) -> None:
    acct = signed_up()
    user, headers = bearer(acct.tokens["accessToken"])
    r = call("POST", "/auth/logout", user=user, headers=headers)
    assert (r.status, r.data) == (200, {})
    r = call("POST", "/auth/refresh", json_body={"refreshToken": acct.tokens["refreshToken"]})
    assert (r.status, r.code) == (401, "UNAUTHORIZED")
    # Logging out again is still a success (the outcome asked for).
    assert call("POST", "/auth/logout", user=user, headers=headers).status == 200


def test_logout_with_id_token_and_refresh_token_in_body(cognito, signed_up) -> None:
    acct = signed_up()
    user, headers = bearer(acct.tokens["idToken"])
    r = call(
        "POST",
        "/auth/logout",
        user=user,
        headers=headers,
        json_body={"refreshToken": acct.tokens["refreshToken"]},
    )
    assert r.status == 200
    r = call("POST", "/auth/refresh", json_body={"refreshToken": acct.tokens["refreshToken"]})
    assert r.status == 401


def test_resend_code(cognito, signed_up) -> None:
    email = new_email()
    register(email)
    assert call("POST", "/auth/resend-code", json_body={"email": email}).data == {"sent": True}
    # Unknown email: the same answer (no account enumeration).
    r = call("POST", "/auth/resend-code", json_body={"email": new_email()})
    assert r.data == {"sent": True}
    # Already verified.
    acct = signed_up()
    r = call("POST", "/auth/resend-code", json_body={"email": acct.email})
    assert (r.status, r.code) == (409, "CONFLICT")


def test_forgot_password_same_answer_for_unknown_email(cognito, signed_up) -> None:
    acct = signed_up()
    known = call("POST", "/auth/forgot-password", json_body={"email": acct.email})
    unknown = call("POST", "/auth/forgot-password", json_body={"email": new_email()})
    assert known.status == unknown.status == 200
    assert known.body == unknown.body == {"success": True, "data": {"sent": True}, "sent": True}


def test_reset_password_changes_password_and_ends_sessions(cognito, signed_up) -> None:
    acct = signed_up()
    assert call("POST", "/auth/forgot-password", json_body={"email": acct.email}).status == 200
    r = call(
        "POST",
        "/auth/reset-password",
        json_body={"email": acct.email, "code": CODE, "newPassword": "Brand2NewPass"},
    )
    assert r.data == {"reset": True}
    old = call("POST", "/auth/login", json_body={"email": acct.email, "password": PASSWORD})
    assert old.status == 401
    new = call("POST", "/auth/login", json_body={"email": acct.email, "password": "Brand2NewPass"})
    assert new.status == 200
    r = call("POST", "/auth/refresh", json_body={"refreshToken": acct.tokens["refreshToken"]})
    assert r.status == 401


def test_reset_password_unknown_email_is_400(cognito) -> None:
    r = call(
        "POST",
        "/auth/reset-password",
        json_body={"email": new_email(), "code": CODE, "newPassword": "Brand2NewPass"},
    )
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")


def test_unknown_body_fields_are_rejected(cognito) -> None:
    r = call("POST", "/auth/login", json_body={"email": new_email(), "password": "x", "extra": 1})
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")
