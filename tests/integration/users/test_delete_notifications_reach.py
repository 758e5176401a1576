"""Account deletion through the API removes notifications (with deliveries), push
subscriptions and shares; the export lists them first."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.integration.users.test_delete_and_export import as_caller
from tests.support.api import call


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_export_then_delete_removes_notifications_push_and_shares(
    cognito, signed_up, make_user, db
) -> None:
    acct = signed_up()
    dora = as_caller(acct)
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    sub = {"endpoint": "https://push.example.test/dora",
           "keys": {"p256dh": _b64(point), "auth": _b64(os.urandom(16))}}  # fmt: skip
    assert call("POST", "/push/subscribe", user=dora, json_body=sub).status == 201
    r = call("POST", "/teams", user=dora, json_body={"name": f"Dora {os.urandom(4).hex()}"})
    call(
        "POST", "/teams/join", user=make_user("Eve"), json_body={"inviteCode": r.data["inviteCode"]}
    )
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    walk = call("POST", "/activities", user=dora, json_body={
        "distance": 2000, "duration": 1500, "timestamp": at}).data["activity"]  # fmt: skip
    share = call("POST", f"/activities/{walk['id']}/share", user=dora).data["shareId"]

    export = call("GET", "/users/me/export", user=dora)
    assert export.status == 200, export.body
    data = export.data
    assert {n["category"] for n in data["notifications"]} == {"MEMBER_JOINED", "ACHIEVEMENT_EARNED"}
    assert {d["channel"] for d in data["notificationDeliveries"]} == {"REALTIME", "EMAIL", "PUSH"}
    assert [s["endpoint"] for s in data["pushSubscriptions"]] == [sub["endpoint"]]
    assert "p256dh" not in data["pushSubscriptions"][0]
    assert [s["shareId"] for s in data["shares"]] == [share]

    # Dora is the team's admin with a member: hand over first.
    team_id = r.data["id"]
    eve_id = db.execute(
        "SELECT user_id FROM team_members WHERE team_id = %s AND role = 'MEMBER'", (team_id,)
    ).fetchone()[0]
    db.execute("UPDATE team_members SET role = 'ADMIN' WHERE user_id = %s", (eve_id,))
    assert call("DELETE", "/users/me", user=dora).status == 200
    user_id = db.execute("SELECT id FROM users WHERE cognito_id = %s", (dora.sub,)).fetchone()[0]
    for table in ("notifications", "notification_deliveries", "push_subscriptions",
                  "activity_shares"):  # fmt: skip
        count = db.execute(f"SELECT count(*) FROM {table} WHERE user_id = %s", (user_id,))
        assert count.fetchone() == (0,), table
    assert call("GET", f"/shares/{share}").status == 404
