"""The exports bucket's failures (milequest.export_store): S3 saying "not now" is 503
UNAVAILABLE, anything else S3 refuses propagates as the misconfiguration it is (a logged 500),
and a store without a bucket never writes."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError
from botocore.stub import ANY, Stubber

from milequest.domain.errors import Unavailable
from milequest.export_store import S3ExportStore

USER = uuid.UUID("00000000-0000-0000-0000-00000000000a")


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


def _store() -> S3ExportStore:
    return S3ExportStore("milequest-exports-unit", region="eu-west-1", url_ttl_seconds=900)


@pytest.mark.parametrize(("code", "status"), [("SlowDown", 503), ("InternalError", 500)])
def test_s3_saying_not_now_is_unavailable(code: str, status: int) -> None:
    store = _store()
    with Stubber(store.client()) as stub:
        stub.add_client_error("put_object", service_error_code=code, http_status_code=status)
        with pytest.raises(Unavailable) as caught:
            store.save(USER, b"{}")
    assert caught.value.retry_after == 5


def test_any_other_refusal_propagates() -> None:
    store = _store()
    with Stubber(store.client()) as stub:
        stub.add_client_error("put_object", service_error_code="AccessDenied", http_status_code=403)
        with pytest.raises(ClientError):
            store.save(USER, b"{}")


def test_a_store_without_a_bucket_refuses_before_any_call() -> None:
    store = S3ExportStore(None, region="eu-west-1", url_ttl_seconds=900)
    with pytest.raises(RuntimeError, match="EXPORT_BUCKET"):
        store.save(USER, b"{}")
    assert store._s3 is None  # no client made, nothing sent


def test_the_object_is_the_users_json_attachment_encrypted_and_signed_for_a_while() -> None:
    store = _store()
    with Stubber(store.client()) as stub:
        stub.add_response(
            "put_object",
            {},
            {
                "Bucket": "milequest-exports-unit",
                "Key": ANY,
                "Body": b'{"a":1}',
                "ContentType": "application/json",
                "ContentDisposition": ANY,
                "CacheControl": "private, no-store",
                "ServerSideEncryption": "AES256",
            },
        )
        stored = store.save(USER, b'{"a":1}')
    assert stored.key.startswith(f"exports/{USER}/")
    assert "X-Amz-Expires=900" in stored.url
