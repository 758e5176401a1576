"""POST/DELETE /activities/{id}/share and the public GET /shares/{shareId} card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.api import call


def _walk(user, *, private: bool = False, distance: float = 5000) -> str:
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    body = {"distance": distance, "duration": 3000, "timestamp": at, "isPrivate": private}
    r = call("POST", "/activities", user=user, json_body=body)
    assert r.status == 201, r.body
    return str(r.data["activity"]["id"])


def test_share_card_shows_only_what_it_may(make_user) -> None:
    owner = make_user("Ana Maria Lima")
    activity = _walk(owner)
    r = call("POST", f"/activities/{activity}/share", user=owner)
    assert r.status == 201
    share_id = r.data["shareId"]
    assert len(share_id) >= 16 and r.data["url"].endswith(f"/shares/{share_id}")
    again = call("POST", f"/activities/{activity}/share", user=owner)
    assert again.status == 200 and again.data["shareId"] == share_id

    card = call("GET", f"/shares/{share_id}")  # no sign-in
    assert card.status == 200
    assert card.headers["Cache-Control"].startswith("public, max-age=")
    assert card.data["firstName"] == "Ana" and card.data["distance"] == 5000
    assert card.data["duration"] == 3000 and card.data["team"] is None
    assert set(card.data) == {
        "shareId", "distance", "duration", "pace", "date", "firstName", "avatarUrl", "team",
        "goal",
    }  # fmt: skip
    etag = card.headers["ETag"]
    assert call("GET", f"/shares/{share_id}", headers={"If-None-Match": etag}).status == 304


def test_share_is_gone_once_the_activity_is_private(make_user) -> None:
    owner = make_user()
    activity = _walk(owner)
    share_id = call("POST", f"/activities/{activity}/share", user=owner).data["shareId"]
    r = call("PATCH", f"/activities/{activity}", user=owner, json_body={"isPrivate": True})
    assert r.status == 200, r.body
    assert call("GET", f"/shares/{share_id}").status == 404
    # Public again: the old link stays dead.
    call("PATCH", f"/activities/{activity}", user=owner, json_body={"isPrivate": False})
    assert call("GET", f"/shares/{share_id}").status == 404


def test_private_others_and_unshare(make_user) -> None:
    owner, other = make_user(), make_user()
    private = _walk(owner, private=True)
    r = call("POST", f"/activities/{private}/share", user=owner)
    assert r.status == 409 and r.code == "CONFLICT"
    mine = _walk(owner)
    assert call("POST", f"/activities/{mine}/share", user=other).status == 404
    share_id = call("POST", f"/activities/{mine}/share", user=owner).data["shareId"]
    assert call("DELETE", f"/activities/{mine}/share", user=other).status == 404
    r = call("DELETE", f"/activities/{mine}/share", user=owner)
    assert r.status == 200 and r.data == {"deleted": True}
    assert call("GET", f"/shares/{share_id}").status == 404
    assert call("DELETE", f"/activities/{mine}/share", user=owner).status == 404
    assert call("GET", "/shares/short").status == 404
    assert call("GET", "/shares/" + "x" * 300).status == 404


def test_deleting_the_activity_or_the_account_removes_the_share(make_user, db) -> None:
    owner = make_user()
    a, b = _walk(owner), _walk(owner)
    sa = call("POST", f"/activities/{a}/share", user=owner).data["shareId"]
    sb = call("POST", f"/activities/{b}/share", user=owner).data["shareId"]
    assert call("DELETE", f"/activities/{a}", user=owner).status == 200
    assert call("GET", f"/shares/{sa}").status == 404
    db.execute("UPDATE users SET deleted_at = now() WHERE id = %s", (owner.id,))
    assert call("GET", f"/shares/{sb}").status == 404
    assert db.execute(
        "SELECT count(*) FROM activity_shares WHERE user_id = %s", (owner.id,)
    ).fetchone() == (0,)
