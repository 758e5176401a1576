"""Reading activities: own lists with cursors and filters, visibility between team-mates,
summaries and stats in the user's timezone, comments and reactions, reconciliation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import psycopg

from functions.jobs.reconcile_aggregates import handler as reconcile_job
from tests.integration.activities.conftest import walk
from tests.support.api import call


def test_own_list_is_newest_first_with_a_cursor_and_filters(make_user, make_team) -> None:
    alice = make_user("Alice")
    now = datetime.now(UTC)
    for days in range(5):
        call(
            "POST",
            "/activities",
            user=alice,
            json_body=walk(1000 + days, at=now - timedelta(days=days, hours=1)),
        )

    first = call("GET", "/activities", user=alice, query={"limit": 2}).data
    second = call(
        "GET", "/users/me/activities", user=alice, query={"limit": 2, "cursor": first["nextCursor"]}
    ).data
    recent = call(
        "GET",
        "/activities",
        user=alice,
        query={"startDate": (now - timedelta(days=1, hours=12)).isoformat()},
    ).data

    assert [a["distance"] for a in first["items"]] == [1000, 1001]
    assert first["hasMore"] is True
    assert [a["distance"] for a in second["items"]] == [1002, 1003]
    assert [a["distance"] for a in recent["items"]] == [1000, 1001]


def test_forged_cursor_and_oversized_limit_are_400(make_user) -> None:
    alice = make_user("Alice")

    assert call("GET", "/activities", user=alice, query={"cursor": "abc.def"}).status == 400
    assert call("GET", "/activities", user=alice, query={"limit": 51}).status == 400


def test_team_filter_lists_activities_counted_for_that_team(make_user, make_team) -> None:
    alice = make_user("Alice")
    now = datetime.now(UTC)
    team = make_team([alice], joined=now - timedelta(days=2))
    call("POST", "/activities", user=alice, json_body=walk(1111, at=now - timedelta(days=3)))
    call("POST", "/activities", user=alice, json_body=walk(2222, at=now - timedelta(days=1)))

    items = call("GET", "/activities", user=alice, query={"teamId": str(team.id)}).data["items"]

    assert [a["distance"] for a in items] == [2222]


def test_team_mates_see_non_private_activities_only(make_user, make_team) -> None:
    alice, bob, stranger = make_user("Alice"), make_user("Bob"), make_user("Stranger")
    make_team([alice, bob], goal=False)
    public = call("POST", "/activities", user=alice, json_body=walk()).data["activity"]
    private = call("POST", "/activities", user=alice, json_body=walk(isPrivate=True)).data[
        "activity"
    ]

    assert call("GET", f"/activities/{public['id']}", user=bob).status == 200
    assert call("GET", f"/activities/{private['id']}", user=bob).status == 404
    assert call("GET", f"/activities/{public['id']}", user=stranger).status == 404


def test_comments_and_reactions_between_team_mates(make_user, make_team) -> None:
    alice, bob, carol, stranger = (make_user(n) for n in ("Alice", "Bob", "Carol", "Stranger"))
    make_team([alice, bob, carol], goal=False)  # alice is the admin
    act = call("POST", "/activities", user=bob, json_body=walk()).data["activity"]
    private = call("POST", "/activities", user=bob, json_body=walk(isPrivate=True)).data["activity"]
    base = f"/activities/{act['id']}"

    c = call("POST", f"{base}/comments", user=carol, json_body={"text": "Nice pace!"})
    assert c.status == 201
    assert call("POST", f"{base}/comments", user=stranger, json_body={"text": "hi"}).status == 404
    assert (
        call(
            "POST", f"/activities/{private['id']}/comments", user=carol, json_body={"text": "x"}
        ).status
        == 404
    )
    assert call("POST", f"{base}/comments", user=carol, json_body={"text": "x" * 501}).status == 400
    assert [x["text"] for x in call("GET", f"{base}/comments", user=bob).data] == ["Nice pace!"]

    comment = f"{base}/comments/{c.data['id']}"
    assert call("DELETE", comment, user=bob).status == 403  # activity author, not comment author
    assert call("DELETE", comment, user=alice).status == 200  # team admin may
    assert call("GET", f"{base}/comments", user=bob).data == []

    fire = quote("🔥")
    once = call("PUT", f"{base}/reactions/{fire}", user=carol).data
    twice = call("PUT", f"{base}/reactions/{fire}", user=carol).data
    assert once == twice == {"activityId": act["id"], "emoji": "🔥", "count": 1, "reacted": True}
    assert call("PUT", f"{base}/reactions/{quote('🤡')}", user=carol).status == 400
    removed = call("DELETE", f"{base}/reactions/{fire}", user=carol).data
    assert removed["count"] == 0


def test_summary_buckets_by_local_day_and_stats_add_up(make_user, set_timezone) -> None:
    alice = make_user("Alice")
    set_timezone(alice, "America/New_York")
    now = datetime.now(UTC)
    for days, distance in ((0, 3000), (1, 4000), (1, 1000), (3, 2000)):
        call(
            "POST",
            "/activities",
            user=alice,
            json_body=walk(distance, at=now - timedelta(days=days, minutes=5)),
        )

    daily = call("GET", "/activities/summary", user=alice, query={"period": "daily"}).data
    weekly = call(
        "GET", "/activities/summary", user=alice, query={"period": "weekly", "count": 2}
    ).data
    stats = call("GET", "/users/me/stats", user=alice).data

    assert len(daily["summaries"]) == 7
    assert sum(s["totalDistance"] for s in daily["summaries"]) == 10_000
    assert sum(s["activeDays"] for s in daily["summaries"]) == 3
    assert len(weekly["summaries"]) == 2
    assert stats["totalDistance"] == 10_000
    assert stats["totalActivities"] == 4
    assert stats["averagePace"] == 720
    assert stats["bestDay"]["distance"] == 5000
    assert call("GET", "/activities/summary", user=alice, query={"period": "hourly"}).status == 400


def test_achievement_catalog_is_public_and_cacheable() -> None:
    r = call("GET", "/achievements")

    assert r.status == 200
    assert len(r.data) >= 15
    assert r.headers["Cache-Control"].startswith("public")
    again = call("GET", "/achievements", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status == 304


def test_reconciliation_job_reports_and_repairs_drift(
    make_user, make_team, db: psycopg.Connection
) -> None:
    alice = make_user("Alice")
    team = make_team([alice])
    call("POST", "/activities", user=alice, json_body=walk(4000))
    # Someone corrupts both aggregates behind the application's back
    db.execute(
        "UPDATE user_stats SET total_distance = 1, current_streak = 0 WHERE user_id = %s",
        (alice.id,),
    )
    db.execute("UPDATE team_progress SET total_activities = 7 WHERE goal_id = %s", (team.goal_id,))

    dry = reconcile_job({"dryRun": True}, None)
    fixed = reconcile_job({}, None)
    again = reconcile_job({}, None)

    assert str(alice.id) in dry["usersRepaired"] and str(team.goal_id) in dry["goalsRepaired"]
    assert str(alice.id) in fixed["usersRepaired"] and str(team.goal_id) in fixed["goalsRepaired"]
    assert again["usersRepaired"] == [] and again["goalsRepaired"] == []
    row = db.execute(
        "SELECT total_distance, current_streak FROM user_stats WHERE user_id = %s", (alice.id,)
    ).fetchone()
    assert row and float(row[0]) == 4000 and row[1] == 1
