"""GET /users/me/export past the inline limit: the document goes to the exports bucket (moto's
S3 on the session's emulator) and the answer is a 303 to a presigned GET of it; a bucket that
fails leaves no audit row (docs/domain.md#data-export)."""

from __future__ import annotations

import json
import os
import re
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import boto3
import pytest

from local.cognito import LocalCognito
from local.exports import create_bucket
from milequest.config import get_settings
from milequest.export_store import get_export_store
from tests.integration.users.helpers import add_activity
from tests.support.api import Result, TestUser, call

BUCKET = "milequest-exports-test"
EXPORTED_AT = re.compile(r'^\{"exportedAt":"[^"]+"')


def _reset() -> None:
    get_settings.cache_clear()
    get_export_store.cache_clear()


@pytest.fixture(scope="module")
def bucket(cognito: LocalCognito) -> Any:
    """The exports bucket on the session's moto server; boto3 S3 client on it."""
    create_bucket(cognito.endpoint_url, cognito.region, BUCKET)
    return boto3.client("s3", region_name=cognito.region, endpoint_url=cognito.endpoint_url)


@pytest.fixture
def settings(cognito: LocalCognito, bucket: Any) -> Iterator[Any]:
    """The app pointed at the bucket; a test sets EXPORT_INLINE_MAX_BYTES (0: every export
    goes to the bucket, however small)."""
    env = {"EXPORT_BUCKET": BUCKET, "S3_ENDPOINT_URL": cognito.endpoint_url}
    with patch.dict(os.environ, env):  # restored on exit
        _reset()
        yield os.environ
    _reset()


def _limit(settings: Any, value: int) -> None:
    settings["EXPORT_INLINE_MAX_BYTES"] = str(value)
    _reset()


def _download(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as resp:  # no Authorization: the URL is it
        return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()


def _audits(db: Any, user_id: UUID) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT details FROM audit_log WHERE actor_id = %s AND action = 'DATA_EXPORTED'",
        (user_id,),
    ).fetchall()
    return [r[0] for r in rows]


def _keys(bucket: Any, prefix: str) -> list[str]:
    listed = bucket.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(o["Key"] for o in listed.get("Contents", []))


def _without_exported_at(text: str) -> str:
    assert EXPORTED_AT.match(text), text[:80]
    return EXPORTED_AT.sub("", text, count=1)


def _export(user: TestUser) -> Result:
    return call("GET", "/users/me/export", user=user)


def test_an_export_within_the_limit_answers_inline_and_stores_nothing(
    settings, bucket, make_user, db
) -> None:
    walker = make_user("Inline")
    add_activity(db, walker.id, 3000)
    r = _export(walker)
    assert r.status == 200, r.body
    assert r.data["profile"]["id"] == str(walker.id)
    assert "Location" not in r.headers
    assert _keys(bucket, f"exports/{walker.id}/") == []
    assert _audits(db, walker.id) == [{"delivery": "inline"}]


def test_the_limit_decides_between_inline_and_the_bucket(settings, make_user, db) -> None:
    walker = make_user("Threshold")
    add_activity(db, walker.id, 4200)
    inline = _export(walker)
    assert inline.status == 200
    # What the answer weighs in the Lambda result: the body as a JSON string.
    escaped = len(json.dumps(inline.text))
    _limit(settings, escaped + 4096)
    assert _export(walker).status == 200
    _limit(settings, escaped)
    assert _export(walker).status == 303


def test_past_the_limit_a_303_links_the_same_document(settings, bucket, make_user, db) -> None:
    walker = make_user("Longhistory")
    for distance in (1000, 2500, 4000):
        add_activity(db, walker.id, distance)
    inline = _export(walker)
    assert inline.status == 200
    _limit(settings, 0)

    r = _export(walker)

    assert r.status == 303, r.body
    assert r.body["success"] is True
    link = r.data
    assert r.headers["Location"] == link["url"]
    assert r.headers["Cache-Control"] == "private, no-store"
    query = parse_qs(urlsplit(link["url"]).query)
    assert query["X-Amz-Expires"] == ["900"]  # 15 minutes from signing
    signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    expires = datetime.fromisoformat(link["expiresAt"])
    assert timedelta(0) <= signed + timedelta(seconds=900) - expires < timedelta(minutes=1)
    status, headers, body = _download(link["url"])
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert headers["content-disposition"].startswith('attachment; filename="milequest-export-')
    assert headers["x-amz-server-side-encryption"] == "AES256"
    assert link["size"] == len(body)
    # The document the inline answer carries, byte for byte but for the moment it was taken.
    inline_document = inline.text.removeprefix('{"success":true,"data":').removesuffix("}")
    assert _without_exported_at(body.decode()) == _without_exported_at(inline_document)
    (key,) = _keys(bucket, f"exports/{walker.id}/")
    assert _audits(db, walker.id)[-1] == {
        "delivery": "download",
        "objectKey": key,
        "bytes": len(body),
    }


def test_each_export_is_its_own_unguessable_object_of_the_callers_rows(
    settings, bucket, make_user, db
) -> None:
    ann, ben = make_user("Ann"), make_user("Ben")
    add_activity(db, ann.id, 1111)
    add_activity(db, ben.id, 2222)
    _limit(settings, 0)

    first, second, bens = _export(ann), _export(ann), _export(ben)

    assert {first.status, second.status, bens.status} == {303}
    keys = _keys(bucket, f"exports/{ann.id}/")
    assert len(keys) == 2
    for key in keys:  # the caller's prefix, then a random UUID
        assert re.fullmatch(rf"exports/{ann.id}/[0-9a-f]{{32}}\.json", key), key
    assert urlsplit(first.data["url"]).path != urlsplit(second.data["url"]).path
    assert str(ben.id) not in first.data["url"] and str(ann.id) not in bens.data["url"]
    _, _, body = _download(first.data["url"])
    document = json.loads(body)
    assert document["profile"]["id"] == str(ann.id)
    assert [a["distance"] for a in document["activities"]] == [1111.0]
    _, _, body = _download(bens.data["url"])
    assert json.loads(body)["profile"]["id"] == str(ben.id)


@pytest.mark.parametrize(
    ("broken", "status", "code"),
    [
        # Nothing listens there: S3 unreachable is a dependency failure, retry later.
        ({"S3_ENDPOINT_URL": "http://127.0.0.1:9"}, 503, "UNAVAILABLE"),
        # A bucket that does not exist is a misconfiguration: a logged 500.
        ({"EXPORT_BUCKET": "milequest-exports-missing"}, 500, "INTERNAL_ERROR"),
    ],
)
def test_a_bucket_that_fails_answers_an_error_and_records_no_export(
    settings, make_user, db, broken, status, code
) -> None:
    walker = make_user("Unlucky")
    add_activity(db, walker.id, 5000)
    settings.update(broken)
    _limit(settings, 0)

    r = _export(walker)

    assert (r.status, r.code) == (status, code)
    assert r.headers["Cache-Control"] == "no-store"
    if status == 503:
        assert r.headers["Retry-After"] == "5"
    assert _audits(db, walker.id) == []


def test_an_export_that_escaping_takes_past_the_limit_is_not_answered_inline(
    settings, make_user, db
) -> None:
    # DEL is one byte of the document and six (`\u007f`) in a Lambda result that escapes it;
    # with this many of them, only knowing they are there keeps the cheap bound honest.
    walker = make_user("Escapes")
    for _ in range(20):
        walk = add_activity(db, walker.id, 3000)
        db.execute("UPDATE activities SET notes = %s WHERE id = %s", ("\x7f" * 499 + "👟", walk))
    inline = _export(walker)
    assert inline.status == 200
    escaped = len(json.dumps(inline.text))  # the body as an escaping runtime writes it
    assert escaped > 3 * len(inline.text)
    _limit(settings, escaped - 1)
    assert _export(walker).status == 303
    _limit(settings, escaped + 4096)
    assert _export(walker).status == 200
