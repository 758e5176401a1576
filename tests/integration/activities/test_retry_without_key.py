"""A create that repeats a recent body exactly is a replay even without an Idempotency-Key
(the web client's offline sync and double clicks retry without one)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from tests.integration.activities.conftest import walk
from tests.support.api import call


def _at() -> str:
    return (datetime.now(UTC) - timedelta(minutes=3)).isoformat(timespec="milliseconds")


def test_the_same_body_again_is_the_same_activity(db, make_user, make_team) -> None:
    alice = make_user("Alice")
    team = make_team([alice])
    body = walk(4200, at=None, notes="lunch walk", isPrivate=False) | {"timestamp": _at()}
    first = call("POST", "/activities", user=alice, json_body=body)
    again = call("POST", "/activities", user=alice, json_body=body)
    assert (first.status, again.status) == (201, 200)
    assert again.data["activity"]["id"] == first.data["activity"]["id"]
    assert again.data["teamUpdates"] == []
    progress = db.execute(
        "SELECT total_distance FROM team_progress WHERE goal_id = %s", (team.goal_id,)
    ).fetchone()
    assert float(progress[0]) == 4200
    assert call("GET", "/users/me/stats", user=alice).data["totalActivities"] == 1


def test_any_difference_is_a_new_activity(make_user) -> None:
    bob = make_user("Bob")
    body = walk(4200) | {"timestamp": _at()}
    ids = {call("POST", "/activities", user=bob, json_body=body).data["activity"]["id"]}
    variants = (
        {"distance": 4200.01},
        {"duration": body["duration"] + 1},
        {"notes": "other"},
        {"isPrivate": True},
        {
            "timestamp": (
                datetime.fromisoformat(body["timestamp"]) + timedelta(milliseconds=1)
            ).isoformat(timespec="milliseconds")
        },
    )
    for change in variants:
        r = call("POST", "/activities", user=bob, json_body=body | change)
        assert r.status == 201, change
        ids.add(r.data["activity"]["id"])
    assert len(ids) == 1 + len(variants)
    # Below the centimetre the distance is the same walk.
    same = call("POST", "/activities", user=bob, json_body=body | {"distance": 4200.004})
    assert same.status == 200


def test_identical_bodies_racing_make_one_activity(db, make_user, make_team) -> None:
    carol = make_user("Carol")
    team = make_team([carol])
    body = walk(3000) | {"timestamp": _at()}

    def send(_: int):
        return call("POST", "/activities", user=carol, json_body=body)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, range(8)))

    assert sorted(r.status for r in results) == [200] * 7 + [201]
    assert len({r.data["activity"]["id"] for r in results}) == 1
    count = db.execute("SELECT count(*) FROM activities WHERE user_id = %s", (carol.id,)).fetchone()
    assert count == (1,)
    progress = db.execute(
        "SELECT total_distance FROM team_progress WHERE goal_id = %s", (team.goal_id,)
    ).fetchone()
    assert float(progress[0]) == 3000
