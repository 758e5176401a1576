"""Comment and reaction notifications, the user's locale, the localized achievement catalog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from milequest import i18n
from tests.integration.notifications.helpers import inbox, team_with_joiners
from tests.support.api import call


def _walk(user) -> str:
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    r = call("POST", "/activities", user=user, json_body={
        "distance": 3000, "duration": 1800, "timestamp": at})  # fmt: skip
    assert r.status == 201, r.body
    return str(r.data["activity"]["id"])


def test_a_comment_notifies_the_author_not_the_commenter(make_user) -> None:
    author, mate = make_user("Author"), make_user("Mate")
    team_with_joiners(author, mate)
    activity = _walk(author)
    r = call("POST", f"/activities/{activity}/comments", user=mate, json_body={"text": "Great!"})
    assert r.status == 201
    call("POST", f"/activities/{activity}/comments", user=author, json_body={"text": "Thanks"})
    [n] = [n for n in inbox(author)["items"] if n["category"] == "ACTIVITY_COMMENT"]
    assert n["title"] == "Mate commented on your walk" and n["body"] == "Great!"
    assert n["data"]["activityId"] == activity
    assert not [n for n in inbox(mate)["items"] if n["category"] == "ACTIVITY_COMMENT"]


def test_reactions_are_batched_to_one_per_activity_per_hour(make_user, db) -> None:
    author, a, b = make_user("Author"), make_user("Ana"), make_user("Ben")
    team_with_joiners(author, a, b)
    activity = _walk(author)
    for user, emoji in ((a, "👍"), (b, "🔥"), (a, "🔥")):
        r = call("PUT", f"/activities/{activity}/reactions/{quote(emoji)}", user=user)
        assert r.status == 200, r.body
    reactions = [n for n in inbox(author)["items"] if n["category"] == "ACTIVITY_REACTION"]
    assert len(reactions) == 1
    assert reactions[0]["title"] == "Ana reacted 👍 to your walk"
    assert reactions[0]["data"]["reactions"] == 3
    # An hour later a new reaction notifies again.
    db.execute(
        "UPDATE notifications SET created_at = now() - interval '61 minutes' WHERE id = %s",
        (reactions[0]["id"],),
    )
    call("PUT", f"/activities/{activity}/reactions/{quote('❤️')}", user=b)
    assert len([n for n in inbox(author)["items"] if n["category"] == "ACTIVITY_REACTION"]) == 2


def test_locale_is_patched_case_insensitively_and_validated(make_user) -> None:
    user = make_user()
    assert call("GET", "/users/me", user=user).data["user"]["locale"] == "en"
    r = call("PATCH", "/users/me", user=user, json_body={"locale": "pt-pt"})
    assert r.status == 200 and r.data["user"]["locale"] == "pt-PT"
    r = call("PATCH", "/users/me", user=user, json_body={"locale": "fr"})
    assert r.status == 400 and r.code == "VALIDATION_ERROR"
    assert "en" in r.error["details"][0]["message"] and "pt-PT" in r.error["details"][0]["message"]
    assert call("PATCH", "/users/me", user=user, json_body={"locale": None}).status == 400


def test_notifications_render_in_the_recipients_locale(make_user) -> None:
    admin = make_user("Admin")
    call("PATCH", "/users/me", user=admin, json_body={"locale": "pt-PT"})
    team = team_with_joiners(admin, make_user("Rita"))
    assert inbox(admin)["items"][0]["title"] == f"Rita juntou-se a {team['name']}"


def test_achievement_catalog_honours_accept_language() -> None:
    en = call("GET", "/achievements")
    pt = call("GET", "/achievements", headers={"Accept-Language": "pt-PT,pt;q=0.9,en;q=0.5"})
    fallback = call("GET", "/achievements", headers={"Accept-Language": "de"})
    names = {a["key"]: a["name"] for a in en.data}
    assert names["first_steps"] == "First Steps"
    assert {a["key"]: a["name"] for a in pt.data}["first_steps"] == "Primeiros Passos"
    assert fallback.data == en.data
    assert en.headers["Vary"] == "Accept-Language" == pt.headers["Vary"]
    assert en.headers["ETag"] != pt.headers["ETag"]


def test_every_message_is_translated() -> None:
    assert i18n.message_ids() == i18n.translated_ids("pt-PT")
    assert i18n.negotiate("pt-BR") == "pt-PT"
    assert i18n.negotiate("xx;q=1, en;q=0") == "en"
    assert i18n.negotiate("en;q=abc") == "en"
