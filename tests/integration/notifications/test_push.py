"""Web Push: the public key, subscriptions, an encrypted push decrypted, 410 removing it."""

from __future__ import annotations

import json

import http_ece
import jwt
import psycopg

from milequest.domain.notifications_dispatch import dispatch
from tests.integration.notifications.conftest import BrowserKeys
from tests.integration.notifications.helpers import team_with_joiners
from tests.support.api import call


def test_vapid_public_key_is_public(vapid_keys) -> None:
    r = call("GET", "/push/vapid-public-key")
    assert r.status == 200 and r.data == {"publicKey": vapid_keys["publicKey"]}


def test_subscribe_validates_updates_and_unsubscribes(make_user, vapid_keys) -> None:
    user, keys = make_user(), BrowserKeys()
    sub = keys.subscription("https://push.example.test/send/abc")
    r = call("POST", "/push/subscribe", user=user, json_body=sub)
    assert r.status == 201 and r.data["id"]
    again = call("POST", "/push/subscribe", user=user, json_body=sub)
    assert again.status == 200 and again.data["id"] == r.data["id"]
    for bad in (
        {**sub, "endpoint": "ftp://push.example.test/x"},
        {**sub, "keys": {"p256dh": "A" * 87, "auth": keys.auth}},  # not a P-256 point
        {**sub, "keys": {"p256dh": keys.p256dh, "auth": "c2hvcnQ"}},
        {"endpoint": sub["endpoint"]},
        {**sub, "endpoint": "https://x.test/" + "a" * 2048},
    ):
        assert call("POST", "/push/subscribe", user=user, json_body=bad).status == 400, bad
    gone = call("DELETE", "/push/subscribe", user=user, json_body={"endpoint": sub["endpoint"]})
    assert gone.status == 200 and gone.data == {"deleted": True}
    r = call("DELETE", "/push/subscribe", user=user, json_body={"endpoint": sub["endpoint"]})
    assert r.status == 404


def test_push_payload_is_encrypted_for_the_subscription(make_user, db, vapid_keys, push) -> None:
    admin, keys = make_user("Admin"), BrowserKeys()
    endpoint = f"{push.base_url}/send/one"
    assert (
        call("POST", "/push/subscribe", user=admin, json_body=keys.subscription(endpoint)).status
        == 201
    )
    team = team_with_joiners(admin, make_user("Ana"))
    with psycopg.connect(db.info.dsn, autocommit=True) as conn:
        dispatch(conn)
    [received] = [p for p in push.received if p.path == "/send/one"]
    assert received.headers["content-encoding"] == "aes128gcm"
    plain = http_ece.decrypt(
        received.body, private_key=keys.private_key, auth_secret=keys.auth_secret,
        version="aes128gcm",
    )  # fmt: skip
    payload = json.loads(plain)
    assert payload["category"] == "MEMBER_JOINED"
    assert payload["title"] == f"Ana joined {team['name']}"
    # VAPID: a JWT for the push service's origin, signed with our key, and our public key.
    auth = received.headers["authorization"]
    assert auth.startswith("vapid t=") and f"k={vapid_keys['publicKey']}" in auth
    token = auth.split("t=")[1].split(",")[0]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == push.base_url and claims["sub"] == "mailto:ops@milequest.test"
    status = db.execute(
        "SELECT status FROM notification_deliveries WHERE user_id = %s AND channel = 'PUSH'",
        (admin.id,),
    ).fetchone()
    assert status == ("SENT",)


def test_410_from_the_push_service_deletes_the_subscription(
    make_user, db, vapid_keys, push
) -> None:
    admin, keys = make_user("Admin"), BrowserKeys()
    push.status_for["/send/gone"] = 410
    endpoint = f"{push.base_url}/send/gone"
    call("POST", "/push/subscribe", user=admin, json_body=keys.subscription(endpoint))
    team_with_joiners(admin, make_user("Ana"))
    with psycopg.connect(db.info.dsn, autocommit=True) as conn:
        dispatch(conn)
    assert db.execute(
        "SELECT count(*) FROM push_subscriptions WHERE endpoint = %s", (endpoint,)
    ).fetchone() == (0,)
    row = db.execute(
        """SELECT status, last_error FROM notification_deliveries
            WHERE user_id = %s AND channel = 'PUSH'""",
        (admin.id,),
    ).fetchone()
    assert row == ("FAILED", "every push subscription is gone")
