"""GET/PATCH /users/me and GET /users/{userId}."""

from __future__ import annotations

import uuid

from tests.integration.users.helpers import add_activity, make_team
from tests.support.api import call


def test_get_me_returns_user_and_stats(make_user) -> None:
    alice = make_user("Alice")
    r = call("GET", "/users/me", user=alice)
    assert r.status == 200
    assert r.headers["Cache-Control"] == "private, no-store"
    data = r.data
    assert data["user"]["id"] == str(alice.id)
    assert data["user"]["email"] == alice.email
    assert data["user"]["timezone"] == "UTC"
    assert data["user"]["preferredUnits"] == "metric"
    assert data["stats"]["totalDistance"] == 0
    assert data["stats"]["totalActivities"] == 0
    assert data["stats"]["averagePace"] is None


def test_get_me_stats_come_from_user_stats(make_user, db) -> None:
    alice = make_user("Alice")
    db.execute(
        """UPDATE user_stats SET total_distance = 5000, total_duration = 1500,
                  total_activities = 2, current_streak = 2, longest_streak = 3,
                  last_activity_date = (now() AT TIME ZONE 'UTC')::date
            WHERE user_id = %s""",
        (alice.id,),
    )
    stats = call("GET", "/users/me", user=alice).data["stats"]
    assert stats["totalDistance"] == 5000.0
    assert stats["totalDuration"] == 1500
    assert stats["averagePace"] == 300.0  # 5 min/km
    assert (stats["currentStreak"], stats["longestStreak"]) == (2, 3)


def test_get_me_anonymous_is_401() -> None:
    r = call("GET", "/users/me")
    assert (r.status, r.code) == (401, "UNAUTHORIZED")


def _patched(user, body: dict) -> dict:
    """PATCH /users/me with `body` (200 expected): the user as answered."""
    r = call("PATCH", "/users/me", user=user, json_body=body)
    assert r.status == 200, r.body
    return r.data["user"]


def test_patch_me_changes_only_given_fields(make_user, db) -> None:
    alice = make_user("Alice")
    user = _patched(alice, {"timezone": "America/New_York", "preferredUnits": "imperial"})
    assert (user["timezone"], user["preferredUnits"], user["name"]) == (
        "America/New_York",
        "imperial",
        "Alice",
    )
    user = _patched(alice, {"name": "  Alice B  ", "avatarUrl": "https://cdn.example.com/a.png"})
    assert user["name"] == "Alice B"
    assert user["avatarUrl"] == "https://cdn.example.com/a.png"
    assert user["timezone"] == "America/New_York"
    # An explicit null clears the avatar.
    assert _patched(alice, {"avatarUrl": None})["avatarUrl"] is None
    row = db.execute(
        "SELECT name, avatar_url, timezone, preferred_units FROM users WHERE id = %s", (alice.id,)
    ).fetchone()
    assert row == ("Alice B", None, "America/New_York", "imperial")


def test_patch_me_empty_body_changes_nothing(make_user) -> None:
    alice = make_user("Alice")
    assert call("PATCH", "/users/me", user=alice, json_body={}).data["user"]["name"] == "Alice"


def test_patch_me_invalid_timezone_is_400_with_field(make_user) -> None:
    alice = make_user("Alice")
    for bad in ("Mars/Olympus_Mons", "", "../../etc/passwd", "EST5EDT-nope"):
        r = call("PATCH", "/users/me", user=alice, json_body={"timezone": bad})
        assert (r.status, r.code) == (400, "VALIDATION_ERROR"), bad
        assert r.error["details"][0]["field"] == "timezone"


def test_patch_me_rejects_bad_values(make_user) -> None:
    alice = make_user("Alice")
    cases = [
        ({"preferredUnits": "furlongs"}, "preferredUnits"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"avatarUrl": "javascript:alert(1)"}, "avatarUrl"),
        ({"email": "new@example.com"}, "email"),
    ]
    for body, field in cases:
        r = call("PATCH", "/users/me", user=alice, json_body=body)
        assert r.status == 400, body
        assert r.error["details"][0]["field"] == field, body


def test_public_profile_visible_to_teammates_with_public_stats_only(make_user, db) -> None:
    alice, bob = make_user("Alice"), make_user("Bob")
    make_team(db, [(alice.id, "ADMIN"), (bob.id, "MEMBER")])
    add_activity(db, bob.id, 3000)
    add_activity(db, bob.id, 2000)
    add_activity(db, bob.id, 9000, private=True)
    r = call("GET", f"/users/{bob.id}", user=alice)
    assert r.data == {
        "id": str(bob.id),
        "name": "Bob",
        "avatarUrl": None,
        "stats": {"totalDistance": 5000.0, "totalActivities": 2},
    }


def test_public_profile_hidden_without_a_shared_live_team(make_user, db) -> None:
    alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
    # Different teams.
    make_team(db, [(alice.id, "ADMIN")])
    make_team(db, [(bob.id, "ADMIN")])
    r = call("GET", f"/users/{bob.id}", user=alice)
    assert (r.status, r.code) == (404, "NOT_FOUND")
    # A team Carol left no longer counts.
    team = make_team(db, [(alice.id, "ADMIN"), (carol.id, "MEMBER")])
    db.execute(
        "UPDATE team_members SET left_at = now() WHERE team_id = %s AND user_id = %s",
        (team, carol.id),
    )
    assert call("GET", f"/users/{carol.id}", user=alice).status == 404
    # A deleted team no longer counts.
    team = make_team(db, [(alice.id, "ADMIN"), (bob.id, "MEMBER")])
    assert call("GET", f"/users/{bob.id}", user=alice).status == 200
    db.execute("UPDATE teams SET deleted_at = now() WHERE id = %s", (team,))
    assert call("GET", f"/users/{bob.id}", user=alice).status == 404


def test_public_profile_unknown_and_malformed_ids(make_user) -> None:
    alice = make_user("Alice")
    assert call("GET", f"/users/{uuid.uuid4()}", user=alice).status == 404
    r = call("GET", "/users/not-a-uuid", user=alice)
    assert (r.status, r.code) == (400, "VALIDATION_ERROR")
    # One's own profile is always visible.
    assert call("GET", f"/users/{alice.id}", user=alice).data["name"] == "Alice"


def test_users_me_is_not_captured_by_user_id_route(make_user) -> None:
    alice = make_user("Alice")
    assert "user" in call("GET", "/users/me", user=alice).data
