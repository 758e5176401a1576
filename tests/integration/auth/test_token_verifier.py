"""local/tokens.py verifies Cognito tokens the way API Gateway's JWT authorizer does."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from local.tokens import InvalidToken, TokenVerifier
from tests.integration.auth.forge import claims_for, sign


@pytest.fixture(scope="module")
def verifier(cognito) -> TokenVerifier:
    return TokenVerifier(cognito)


def test_accepts_real_id_and_access_tokens(verifier, signed_up) -> None:
    acct = signed_up()
    id_claims = verifier.verify(acct.tokens["idToken"])
    access_claims = verifier.verify(acct.tokens["accessToken"])
    assert id_claims["token_use"] == "id" and id_claims["email"] == acct.email
    assert access_claims["token_use"] == "access"
    assert id_claims["sub"] == access_claims["sub"]


def test_accepts_a_well_formed_token_signed_by_the_pool_key(cognito, verifier) -> None:
    token = sign(claims_for(cognito.issuer, cognito.client_id, str(uuid.uuid4())))
    assert verifier.verify(token)["token_use"] == "id"


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/other"}, id="issuer"),
        pytest.param({"aud": "someone-elses-client"}, id="audience"),
        pytest.param({"exp": int(time.time()) - 60}, id="expired"),
        pytest.param({"token_use": "refresh"}, id="token-use"),
        pytest.param(
            {"token_use": "access", "aud": None, "client_id": "someone-elses-client"},
            id="access-client",
        ),
    ],
)
def test_rejects_wrong_claims(cognito, verifier, overrides) -> None:
    claims = {
        k: v
        for k, v in claims_for(cognito.issuer, cognito.client_id, "u", **overrides).items()
        if v is not None
    }
    with pytest.raises(InvalidToken):
        verifier.verify(sign(claims))


def test_rejects_a_stranger_signature(cognito, verifier) -> None:
    token = sign(claims_for(cognito.issuer, cognito.client_id, "u"), stranger=True)
    with pytest.raises(InvalidToken):
        verifier.verify(token)


def test_rejects_a_tampered_payload(cognito, verifier, signed_up) -> None:
    header, _, signature = signed_up().tokens["idToken"].split(".")
    forged = jwt.encode(
        claims_for(cognito.issuer, cognito.client_id, "victim"), "k" * 32, algorithm="HS256"
    ).split(".")[1]
    with pytest.raises(InvalidToken):
        verifier.verify(f"{header}.{forged}.{signature}")


def test_rejects_unsigned_and_garbage(cognito, verifier) -> None:
    none_alg = jwt.encode(
        claims_for(cognito.issuer, cognito.client_id, "u"), None, algorithm="none"
    )
    for token in (none_alg, "garbage", "a.b.c"):
        with pytest.raises(InvalidToken):
            verifier.verify(token)
