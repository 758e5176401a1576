"""A data export past the inline limit over HTTP against `make run` (a server of its own with
EXPORT_INLINE_MAX_BYTES=0): a 303 whose Location is a presigned GET on the local stack's moto
S3, fetched the way a client does after the redirect (no Authorization: the URL is it)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.e2e.conftest import LocalApi, running_local_api
from tests.e2e.test_walking_journey import _token


@pytest.fixture(scope="module")
def small_limit_api(database_url: str) -> Iterator[LocalApi]:
    with running_local_api(database_url, EXPORT_INLINE_MAX_BYTES="0") as api:
        yield api


class _Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # answer the 3xx itself


def _get_unfollowed(url: str, token: str) -> tuple[int, dict[str, str], Any]:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.build_opener(_Keep).open(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read())
    except urllib.error.HTTPError as err:  # a 3xx left unfollowed arrives as one
        return err.code, dict(err.headers), json.loads(err.read())


def test_a_large_export_is_a_303_to_the_document_on_the_local_bucket(
    small_limit_api: LocalApi,
) -> None:
    api = small_limit_api
    token = _token(api, "Exporter")
    walk = {"distance": 6400, "duration": 4000, "timestamp": datetime.now(UTC).isoformat()}
    assert api.request("POST", "/activities", walk, token)[0] == 201

    status, headers, body = _get_unfollowed(f"{api.url}/users/me/export", token)

    assert status == 303, body
    location = headers["Location"]
    assert body["success"] is True and body["data"]["url"] == location
    assert location.startswith(f"{api.info['s3']}/{api.info['exportBucket']}/exports/")
    assert headers["Access-Control-Allow-Origin"]  # the browser's CORS check of the 303
    with urllib.request.urlopen(location, timeout=30) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "application/json"
        assert resp.headers["Content-Disposition"].startswith("attachment;")
        raw = resp.read()
    assert body["data"]["size"] == len(raw)
    document = json.loads(raw)
    assert document["profile"]["name"] == "Exporter"
    assert [a["distance"] for a in document["activities"]] == [6400.0]
