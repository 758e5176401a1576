"""POST/PATCH/DELETE /activities: one transaction moves the activity, the user's stats and the
progress of every goal it counts for; milestones, completion and achievements happen once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from milequest.db import timing
from tests.integration.activities.conftest import walk
from tests.support.api import call


def _stats(db: psycopg.Connection, user_id: object) -> tuple[float, int, int]:
    row = db.execute(
        "SELECT total_distance, total_duration, total_activities FROM user_stats "
        "WHERE user_id = %s",
        (user_id,),
    ).fetchone()
    assert row
    return float(row[0]), int(row[1]), int(row[2])


def _progress(db: psycopg.Connection, goal_id: object) -> tuple[float, int]:
    row = db.execute(
        "SELECT total_distance, total_activities FROM team_progress WHERE goal_id = %s",
        (goal_id,),
    ).fetchone()
    assert row
    return float(row[0]), int(row[1])


def test_logging_moves_stats_and_team_progress_and_earns_first_achievement(
    make_user, make_team, db
) -> None:
    # Given a member of a team with an active 100 km goal
    alice = make_user("Alice")
    team = make_team([alice])

    # When she logs a 5 km walk
    r = call("POST", "/activities", user=alice, json_body=walk(5000, notes="Riverside"))

    # Then the activity, her stats and the team's progress all moved, in one response
    assert r.status == 201
    data = r.data
    assert data["activity"]["distance"] == 5000
    assert data["activity"]["pace"] == 720
    assert data["activity"]["notes"] == "Riverside"
    assert data["teamUpdates"] == [
        {
            "teamId": str(team.id),
            "goalId": str(team.goal_id),
            "newTotalDistance": 5000.0,
            "newPercentComplete": 5.0,
        }
    ]
    assert "first_steps" in {a["key"] for a in data["achievementsEarned"]}
    assert _stats(db, alice.id) == (5000.0, 3600, 1)
    assert _progress(db, team.goal_id) == (5000.0, 1)


def test_activity_outside_goal_window_or_before_joining_does_not_count(
    make_user, make_team, db
) -> None:
    alice = make_user("Alice")
    now = datetime.now(UTC)
    team = make_team([alice], start=now - timedelta(days=2), joined=now - timedelta(days=5))

    before_goal = call(
        "POST", "/activities", user=alice, json_body=walk(at=now - timedelta(days=3))
    )
    before_join = call(
        "POST", "/activities", user=alice, json_body=walk(at=now - timedelta(days=6))
    )

    assert before_goal.data["teamUpdates"] == []
    assert before_join.data["teamUpdates"] == []
    assert _progress(db, team.goal_id) == (0.0, 0)
    assert _stats(db, alice.id)[2] == 2


def test_private_activities_count_for_the_team(make_user, make_team, db) -> None:
    alice = make_user("Alice")
    team = make_team([alice])

    call("POST", "/activities", user=alice, json_body=walk(3000, isPrivate=True))

    assert _progress(db, team.goal_id) == (3000.0, 1)


def test_edit_moves_the_contribution_exactly(make_user, make_team, db) -> None:
    alice = make_user("Alice")
    now = datetime.now(UTC)
    team = make_team([alice], start=now - timedelta(days=2))
    created = call("POST", "/activities", user=alice, json_body=walk(4000)).data["activity"]

    # Distance change: the difference moves
    r = call("PATCH", f"/activities/{created['id']}", user=alice, json_body={"distance": 6000})
    assert r.status == 200
    assert r.data["activity"]["distance"] == 6000
    assert _progress(db, team.goal_id) == (6000.0, 1)
    assert _stats(db, alice.id)[0] == 6000.0

    # Timestamp moved out of the goal window: the contribution leaves the goal
    old = (now - timedelta(days=4)).isoformat()
    r = call("PUT", f"/activities/{created['id']}", user=alice, json_body={"timestamp": old})
    assert r.status == 200
    assert _progress(db, team.goal_id) == (0.0, 0)
    assert _stats(db, alice.id) == (6000.0, 2880, 1)

    # ... and back in
    r = call(
        "PATCH",
        f"/activities/{created['id']}",
        user=alice,
        json_body={"timestamp": now.isoformat()},
    )
    assert _progress(db, team.goal_id) == (6000.0, 1)


def test_delete_removes_the_contribution_exactly(make_user, make_team, db) -> None:
    alice, bob = make_user("Alice"), make_user("Bob")
    team = make_team([alice, bob])
    a = call("POST", "/activities", user=alice, json_body=walk(4000)).data["activity"]
    call("POST", "/activities", user=bob, json_body=walk(2500))

    r = call("DELETE", f"/activities/{a['id']}", user=alice)

    assert r.status == 200
    assert r.data["deleted"] is True
    assert r.data["teamUpdates"][0]["newTotalDistance"] == 2500.0
    assert _progress(db, team.goal_id) == (2500.0, 1)
    assert _stats(db, alice.id) == (0.0, 0, 0)
    assert call("GET", f"/activities/{a['id']}", user=alice).status == 404


def test_milestones_and_waypoints_are_notified_once_and_completion_happens_once(
    make_user, make_team, db
) -> None:
    # Given a 10 km goal with a waypoint at 4 km
    alice, bob = make_user("Alice"), make_user("Bob")
    team = make_team([alice, bob], target=10_000, waypoints=(4000,))

    call("POST", "/activities", user=alice, json_body=walk(2600))  # 26 %
    call("POST", "/activities", user=bob, json_body=walk(2600))  # 52 %, waypoint 4 km
    edit = call("POST", "/activities", user=bob, json_body=walk(1000)).data["activity"]
    call("DELETE", f"/activities/{edit['id']}", user=bob)  # back down, then up again
    call("POST", "/activities", user=bob, json_body=walk(1000))  # 62 %
    done = call("POST", "/activities", user=alice, json_body=walk(5000))  # 112 % → complete
    after = call("POST", "/activities", user=alice, json_body=walk(1000))

    milestones = db.execute(
        """SELECT dedupe_key, count(*) FROM notifications
           WHERE team_id = %s AND user_id = %s GROUP BY dedupe_key""",
        (team.id, bob.id),
    ).fetchall()
    keys = {k for k, _ in milestones}
    assert all(n == 1 for _, n in milestones)
    assert {f"milestone:{team.goal_id}:{p}" for p in (25, 50, 75, 100)} <= keys
    assert f"waypoint:{team.goal_id}:0" in keys
    assert f"goal-completed:{team.goal_id}" in keys
    goal = db.execute(
        "SELECT status, completed_at, final_stats FROM team_goals WHERE id = %s", (team.goal_id,)
    ).fetchone()
    assert goal and goal[0] == "COMPLETED" and goal[1] is not None
    assert goal[2]["totalDistance"] == 11200.0
    assert goal[2]["contributors"][0]["userId"] == str(alice.id)  # 7.6 km vs 3.6 km
    assert done.data["teamUpdates"][0]["newPercentComplete"] == 100.0
    earned = {a["key"] for a in done.data["achievementsEarned"]}
    assert {"goal_completed", "top_contributor"} <= earned
    assert after.data["teamUpdates"] == []  # a completed goal is frozen
    bob_achievements = call("GET", "/users/me/achievements", user=bob).data
    assert "goal_completed" in {a["key"] for a in bob_achievements}
    assert "top_contributor" not in {a["key"] for a in bob_achievements}


def test_achievements_are_earned_once_with_their_criteria(make_user, db) -> None:
    alice = make_user("Alice")

    first = call("POST", "/activities", user=alice, json_body=walk(10_500, 5500)).data
    second = call("POST", "/activities", user=alice, json_body=walk(10_500, 5500)).data

    keys = {a["key"] for a in first["achievementsEarned"]}
    assert {"first_steps", "distance_10k", "long_walk_10k", "brisk_5k"} <= keys
    assert "half_marathon" not in keys
    assert {a["key"] for a in second["achievementsEarned"]}.isdisjoint(keys)
    mine = call("GET", "/users/me/achievements", user=alice).data
    assert len(mine) == len({a["key"] for a in mine})


def test_a_three_day_streak_is_earned_by_the_walk_of_its_third_day(make_user) -> None:
    alice = make_user("Alice")
    now = datetime.now(UTC)
    earned = [
        {
            a["key"]
            for a in call("POST", "/activities", user=alice, json_body=walk(at=at)).data[
                "achievementsEarned"
            ]
        }
        for at in (now - timedelta(days=2), now - timedelta(days=1), now - timedelta(minutes=5))
    ]

    assert ["streak_3" in keys for keys in earned] == [False, False, True]


def test_an_edit_earns_what_its_new_distance_crosses(make_user, db) -> None:
    alice = make_user("Alice")
    made = call("POST", "/activities", user=alice, json_body=walk(5000)).data["activity"]

    r = call("PATCH", f"/activities/{made['id']}", user=alice, json_body={"distance": 12_000})

    assert r.status == 200
    assert {"distance_10k", "long_walk_10k"} <= {a["key"] for a in r.data["achievementsEarned"]}
    assert "first_steps" not in {a["key"] for a in r.data["achievementsEarned"]}


def test_a_walk_that_earns_and_reaches_nothing_is_written_by_one_statement(
    make_user, make_team, db
) -> None:
    # Given a member of a 100 km goal's team who logged her first walk (first_steps earned)
    alice = make_user("Alice")
    team = make_team([alice])
    assert call("POST", "/activities", user=alice, json_body=walk(5000)).status == 201

    # When she logs 1 km: no achievement threshold and no milestone lies between 5 and 6 km
    r = call("POST", "/activities", user=alice, json_body=walk(1000))
    stats = timing.current()

    # Then her lookup and the write were the request's only statements, and it committed
    assert r.status == 201
    assert r.data["achievementsEarned"] == []
    assert stats is not None and stats.count == 2
    assert _stats(db, alice.id)[0::2] == (6000.0, 2)
    assert _progress(db, team.goal_id) == (6000.0, 2)


def test_early_bird_uses_the_users_local_time(make_user, set_timezone) -> None:
    alice = make_user("Alice")
    set_timezone(alice, "Asia/Tokyo")
    # 06:00 in Tokyo is 21:00 UTC the day before
    day = datetime.now(UTC).date() - timedelta(days=2)
    at = datetime(day.year, day.month, day.day, 21, 0, tzinfo=UTC)

    r = call("POST", "/activities", user=alice, json_body=walk(at=at))

    assert "early_bird" in {a["key"] for a in r.data["achievementsEarned"]}


def test_imports_are_deduplicated_by_source_and_external_id(make_user, make_team, db) -> None:
    alice = make_user("Alice")
    team = make_team([alice])
    body = walk(4200, source="STRAVA", externalId="strava-123")

    first = call("POST", "/activities", user=alice, json_body=body)
    again = call("POST", "/activities", user=alice, json_body=body)

    assert first.status == 201
    assert again.status == 200
    assert again.data["activity"]["id"] == first.data["activity"]["id"]
    assert _progress(db, team.goal_id) == (4200.0, 1)
    assert _stats(db, alice.id)[2] == 1


def test_activating_a_goal_that_backfills_past_milestones_announces_them(
    make_user, make_team, db
) -> None:
    # Given a member who already walked 6 km this week, in a team without a goal
    alice = make_user("Alice")
    team = make_team([alice], goal=False)
    call("POST", "/activities", user=alice, json_body=walk(6000))
    start = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    end = (datetime.now(UTC) + timedelta(days=30)).isoformat()

    # When a 5 km goal is created ACTIVE (Lisbon, ~5 km north)
    r = call(
        "POST",
        f"/teams/{team.id}/goals",
        user=alice,
        json_body={
            "name": "Short hop",
            "startLocation": {"lat": 38.7223, "lng": -9.1393},
            "endLocation": {"lat": 38.7673, "lng": -9.1393},
            "startDate": start,
            "endDate": end,
            "targetDistance": 5000,
            "status": "ACTIVE",
        },
    )

    # Then the backfilled progress completes it at once, announced once
    assert r.status == 201, r.body
    goal_id = r.data["id"]
    status = db.execute("SELECT status FROM team_goals WHERE id = %s", (goal_id,)).fetchone()
    assert status == ("COMPLETED",)
    keys = {
        k
        for (k,) in db.execute(
            "SELECT dedupe_key FROM notifications WHERE user_id = %s AND team_id = %s",
            (alice.id, team.id),
        )
    }
    assert {f"milestone:{goal_id}:{p}" for p in (25, 50, 75, 100)} <= keys
    assert f"goal-completed:{goal_id}" in keys
