"""Over HTTP against `make run`: an invite, a join and a milestone reach the invitee's and the
members' /notifications and unread counts, and the dispatcher (run here, on the server's
database) sends their emails through the server's SES emulator. The server has a database of
its own: the session database's queue holds every earlier test's due deliveries (more than one
dispatch run's `limit` after the integration tests), which would be sent before this test's."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from local.local_env import dispatcher_env
from milequest.domain.notifications_dispatch import dispatch
from tests.e2e.conftest import LocalApi, running_local_api

PASSWORD = "Walking1Far"


@pytest.fixture
def own_database(new_migrated_database: Callable[[], str]) -> str:
    return new_migrated_database()


@pytest.fixture
def own_api(own_database: str) -> Iterator[LocalApi]:
    with running_local_api(own_database) as api:
        yield api


def _account(api: LocalApi, name: str) -> tuple[str, str]:
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    assert api.request("POST", "/auth/register", {"email": email, "password": PASSWORD,
                                                   "name": name})[0] == 201  # fmt: skip
    api.request("POST", "/auth/verify-email", {"email": email, "code": "123456"})
    status, _, body = api.request("POST", "/auth/login", {"email": email, "password": PASSWORD})
    assert status == 200, body
    return email, str(body["data"]["tokens"]["idToken"])


def _categories(api: LocalApi, token: str) -> list[str]:
    status, _, body = api.request("GET", "/notifications", token=token)
    assert status == 200, body
    return [n["category"] for n in body["data"]["items"]]


def _unread(api: LocalApi, token: str) -> int:
    return int(api.request("GET", "/notifications/unread-count", token=token)[2]["data"]["count"])


def test_invite_join_and_milestone_notify_and_email(own_api: LocalApi, own_database: str) -> None:
    (ana_email, ana), (ben_email, ben), (cara_email, cara) = (
        _account(own_api, n) for n in ("Ana", "Ben", "Cara")
    )
    for token in (ana, ben, cara):  # first signed-in call creates the users row
        assert own_api.request("GET", "/users/me", token=token)[0] == 200
    status, _, body = own_api.request("POST", "/teams", {"name": f"T {uuid.uuid4().hex[:6]}"}, ana)
    assert status == 201, body
    team = body["data"]
    status, _, body = own_api.request(
        "POST", f"/teams/{team['id']}/invites", {"email": cara_email}, ana
    )
    assert status == 201, body
    assert own_api.request("POST", "/teams/join", {"inviteCode": team["inviteCode"]}, ben)[0] == 200
    now = datetime.now(UTC)
    status, _, body = own_api.request("POST", f"/teams/{team['id']}/goals", {
        "name": "Short hop", "startLocation": {"lat": 38.7223, "lng": -9.1393},
        "endLocation": {"lat": 38.80, "lng": -9.1393},
        "startDate": (now - timedelta(hours=1)).isoformat(),
        "endDate": (now + timedelta(days=30)).isoformat(), "status": "ACTIVE"}, ana)  # fmt: skip
    assert status == 201, body
    walk = {"distance": 3000, "duration": 2400, "timestamp": datetime.now(UTC).isoformat()}
    assert own_api.request("POST", "/activities", walk, ben)[0] == 201

    assert _categories(own_api, cara) == ["INVITE_RECEIVED"] and _unread(own_api, cara) == 1
    ana_sees = _categories(own_api, ana)
    assert "MEMBER_JOINED" in ana_sees and "MILESTONE" in ana_sees
    assert "MILESTONE" in _categories(own_api, ben)
    assert _unread(own_api, ana) == len(ana_sees)

    with dispatcher_env(own_api.info["ses"]):
        with psycopg.connect(own_database, autocommit=True) as conn:
            summary = dispatch(conn)
        assert summary.sent >= 4 and summary.failed == 0, summary
        with psycopg.connect(own_database) as conn:
            sent = conn.execute(
                """SELECT u.email::text, n.category FROM notification_deliveries d
                     JOIN notifications n ON n.id = d.notification_id
                     JOIN users u ON u.id = d.user_id
                    WHERE d.channel = 'EMAIL' AND d.status = 'SENT' AND u.email = ANY(%s)""",
                ([ana_email, ben_email, cara_email],),
            ).fetchall()
    assert (cara_email, "INVITE_RECEIVED") in sent
    assert (ana_email, "MEMBER_JOINED") in sent
    assert (ana_email, "MILESTONE") in sent and (ben_email, "MILESTONE") in sent
    assert os.environ.get("SES_ENDPOINT_URL") != own_api.info["ses"]  # restored
