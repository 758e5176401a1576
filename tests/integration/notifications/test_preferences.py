"""GET/PUT /notifications/preferences and what they change in the fan-out."""

from __future__ import annotations

from tests.integration.notifications.helpers import inbox, team_with_joiners
from tests.support.api import call


def _prefs(user) -> dict[tuple[str, str], dict]:
    r = call("GET", "/notifications/preferences", user=user)
    assert r.status == 200
    return {(p["category"], p["channel"]): p for p in r.data["preferences"]}


def test_defaults_cover_every_category_and_channel(make_user) -> None:
    prefs = _prefs(make_user())
    assert len(prefs) == 9 * 3
    assert prefs[("MILESTONE", "EMAIL")] == {
        "category": "MILESTONE", "channel": "EMAIL", "enabled": True,
        "quietHoursStart": None, "quietHoursEnd": None,
    }  # fmt: skip
    assert prefs[("ACTIVITY_REACTION", "EMAIL")]["enabled"] is False


def test_put_changes_only_the_rows_sent(make_user) -> None:
    user = make_user()
    body = {
        "preferences": [
            {"category": "MILESTONE", "channel": "PUSH", "quietHoursStart": "22:00",
             "quietHoursEnd": "07:00"},
            {"category": "GOAL_CREATED", "channel": "EMAIL", "enabled": False},
        ]
    }  # fmt: skip
    r = call("PUT", "/notifications/preferences", user=user, json_body=body)
    assert r.status == 200
    prefs = {(p["category"], p["channel"]): p for p in r.data["preferences"]}
    assert prefs[("MILESTONE", "PUSH")]["quietHoursStart"] == "22:00"
    assert prefs[("MILESTONE", "PUSH")]["enabled"] is True
    assert prefs[("GOAL_CREATED", "EMAIL")]["enabled"] is False
    assert prefs[("GOAL_CREATED", "PUSH")]["enabled"] is True
    # Enabling again keeps the quiet hours; null both clears them.
    call("PUT", "/notifications/preferences", user=user, json_body={"preferences": [
        {"category": "MILESTONE", "channel": "PUSH", "enabled": False}]})  # fmt: skip
    assert _prefs(user)[("MILESTONE", "PUSH")]["quietHoursEnd"] == "07:00"
    call("PUT", "/notifications/preferences", user=user, json_body={"preferences": [
        {"category": "MILESTONE", "channel": "PUSH", "quietHoursStart": None,
         "quietHoursEnd": None}]})  # fmt: skip
    assert _prefs(user)[("MILESTONE", "PUSH")]["quietHoursStart"] is None


def test_bad_rows_are_400(make_user) -> None:
    user = make_user()
    for row in (
        {"category": "NOPE", "channel": "EMAIL", "enabled": True},
        {"category": "MILESTONE", "channel": "SMS", "enabled": True},
        {"category": "MILESTONE", "channel": "EMAIL", "quietHoursStart": "22:00"},
        {"category": "MILESTONE", "channel": "EMAIL", "quietHoursStart": "25:00",
         "quietHoursEnd": "07:00"},
    ):  # fmt: skip
        r = call("PUT", "/notifications/preferences", user=user, json_body={"preferences": [row]})
        assert r.status == 400 and r.code == "VALIDATION_ERROR", row


def test_disabled_channels_get_no_delivery(make_user, db) -> None:
    admin = make_user("Admin")
    call("PUT", "/notifications/preferences", user=admin, json_body={"preferences": [
        {"category": "MEMBER_JOINED", "channel": "REALTIME", "enabled": False}]})  # fmt: skip
    team_with_joiners(admin, make_user("A"))
    assert inbox(admin)["items"] == []  # REALTIME off: not in the inbox
    channels = db.execute(
        """SELECT d.channel, d.status FROM notification_deliveries d
            WHERE d.user_id = %s ORDER BY d.channel""",
        (admin.id,),
    ).fetchall()
    # EMAIL on by default; PUSH only with a subscription.
    assert channels == [("EMAIL", "PENDING")]
