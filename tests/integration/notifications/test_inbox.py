"""GET /notifications (cursor, unreadOnly), unread count, mark read, read all."""

from __future__ import annotations

from tests.integration.notifications.helpers import inbox, team_with_joiners, unread
from tests.support.api import call


def test_member_joined_shows_in_the_admins_inbox_newest_first(make_user) -> None:
    admin, ana, ben = make_user("Admin"), make_user("Ana Lima"), make_user("Ben")
    team = team_with_joiners(admin, ana, ben)

    items = inbox(admin)["items"]
    assert [n["category"] for n in items] == ["MEMBER_JOINED", "MEMBER_JOINED"]
    assert items[0]["title"] == f"Ben joined {team['name']}"
    assert items[1]["title"] == f"Ana Lima joined {team['name']}"
    assert items[0]["teamId"] == team["id"] and items[0]["readAt"] is None
    assert set(items[0]) == {
        "id",
        "category",
        "title",
        "body",
        "data",
        "teamId",
        "readAt",
        "createdAt",
    }
    assert unread(admin) == 2
    assert inbox(ana)["items"][0]["title"] == f"Ben joined {team['name']}"  # members too
    assert unread(ben) == 0


def test_cursor_pages_through_without_overlap(make_user) -> None:
    admin = make_user("Admin")
    team_with_joiners(admin, *[make_user(f"J{i}") for i in range(5)])
    first = inbox(admin, limit=2)
    assert len(first["items"]) == 2 and first["hasMore"] is True
    second = inbox(admin, limit=2, cursor=first["nextCursor"])
    third = inbox(admin, limit=2, cursor=second["nextCursor"])
    ids = [n["id"] for page in (first, second, third) for n in page["items"]]
    assert len(ids) == len(set(ids)) == 5
    assert third["hasMore"] is False and third["nextCursor"] is None


def test_bad_cursor_and_limit_are_400(make_user) -> None:
    user = make_user()
    assert call("GET", "/notifications", user=user, query={"cursor": "nope"}).status == 400
    assert call("GET", "/notifications", user=user, query={"limit": 51}).status == 400
    r = call("GET", "/notifications", user=user, query={"unreadOnly": "perhaps"})
    assert r.status == 400 and r.code == "VALIDATION_ERROR"


def test_read_one_then_unread_only_and_read_all(make_user) -> None:
    admin, other = make_user("Admin"), make_user("Other")
    team_with_joiners(admin, make_user("A"), make_user("B"), make_user("C"))
    newest = inbox(admin)["items"][0]

    r = call("POST", f"/notifications/{newest['id']}/read", user=admin)
    assert r.status == 200 and r.data["readAt"] is not None and r.data["id"] == newest["id"]
    assert unread(admin) == 2
    assert newest["id"] not in {n["id"] for n in inbox(admin, unreadOnly="true")["items"]}
    assert len(inbox(admin, unreadOnly="true")["items"]) == 2

    # Someone else's notification, or none at all: 404; a malformed id: 400.
    assert call("POST", f"/notifications/{newest['id']}/read", user=other).status == 404
    assert call("POST", "/notifications/not-a-uuid/read", user=admin).status == 400

    r = call("POST", "/notifications/read-all", user=admin)
    assert r.status == 200 and r.data == {"updated": 2}
    assert unread(admin) == 0
    assert call("POST", "/notifications/read-all", user=admin).data == {"updated": 0}


def test_read_time_is_tracked_on_the_realtime_delivery(make_user, db) -> None:
    admin = make_user("Admin")
    team_with_joiners(admin, make_user("A"))
    n = inbox(admin)["items"][0]
    call("POST", f"/notifications/{n['id']}/read", user=admin)
    row = db.execute(
        """SELECT status, sent_at IS NOT NULL, read_at IS NOT NULL FROM notification_deliveries
            WHERE notification_id = %s AND channel = 'REALTIME'""",
        (n["id"],),
    ).fetchone()
    assert row == ("SENT", True, True)
