"""GET /dashboard: the shape the web client reads, the goal card, my weekly rank, the merged
feed, the weekly boards, the unread count, and a query count independent of the teams."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from milequest.db import timing
from tests.integration.leaderboards.conftest import add_walk, ago, backdate_memberships
from tests.integration.teams.helpers import create_team, join
from tests.support.api import call


def _dashboard(user):
    r = call("GET", "/dashboard", user=user)
    assert r.status == 200, r.body
    assert r.headers["Cache-Control"] == "private, no-store"
    return r.data


def _active_goal(db, team_id, target=10_000):
    goal = db.execute(
        """INSERT INTO team_goals (team_id, name, status, start_location, end_location,
               route_data, route_geom, target_distance, start_date, end_date)
           VALUES (%s, 'Lisbon to Porto', 'ACTIVE', '{"lat": 38.7, "lng": -9.1}',
                   '{"lat": 41.1, "lng": -8.6}',
                   '{"segments": [{"distance": 10000, "cumulativeDistance": 10000}],
                     "waypoints": [{"lat": 38.7, "lng": -9.1}, {"lat": 41.1, "lng": -8.6}]}',
                   'SRID=4326;LINESTRING(-9.1 38.7, -8.6 41.1)', %s,
                   now() - interval '5 days', now() + interval '10 days') RETURNING id""",
        (team_id, target),
    ).fetchone()[0]
    db.execute("INSERT INTO team_progress (goal_id, team_id) VALUES (%s, %s)", (goal, team_id))
    return goal


def _log(user, distance, minutes_ago=1, private=False):
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    body = {
        "distance": distance,
        "duration": int(distance * 0.72),
        "timestamp": at.isoformat(),
        "isPrivate": private,
    }
    r = call("POST", "/activities", user=user, json_body=body)
    assert r.status == 201, r.body
    return r.data["activity"]["id"]


def test_a_new_user_gets_every_section_with_best_day_an_object(make_user):
    alice = make_user("Alice")

    data = _dashboard(alice)

    assert set(data) == {
        "user",
        "personalStats",
        "teams",
        "recentActivities",
        "teamLeaderboards",
        "notifications",
    }
    assert data["user"]["id"] == str(alice.id) and data["user"]["email"] == alice.email
    assert data["personalStats"]["bestDay"] == {"date": None, "distance": 0.0}
    assert data["personalStats"]["totalDistance"] == 0.0
    assert data["teams"] == [] and data["recentActivities"] == []
    assert data["teamLeaderboards"] == []
    assert data["notifications"] == {"unreadCount": 0}


def test_teams_feed_and_boards_as_the_web_client_reads_them(make_user, db):
    alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
    team = create_team(alice, name=f"Dash {alice.sub[:8]}")
    join(bob, team)
    join(carol, team)
    backdate_memberships(db, team["id"], days=30)
    goal = _active_goal(db, team["id"])
    mine_private = _log(alice, 2000, minutes_ago=3, private=True)
    bob_public = _log(bob, 3000, minutes_ago=2)
    _log(bob, 1000, minutes_ago=4, private=True)  # a teammate's private walk: not in my feed
    add_walk(db, carol, 500, ago(days=40))  # before Carol joined: no team's feed has it

    data = _dashboard(alice)

    (card,) = data["teams"]
    assert card["id"] == team["id"] and card["memberCount"] == 3 and card["role"] == "ADMIN"
    progress = card["progress"]
    assert progress["goalId"] == str(goal) and progress["goalName"] == "Lisbon to Porto"
    assert progress["status"] == "ACTIVE"
    assert progress["currentDistance"] == 6000.0 and progress["targetDistance"] == 10000.0
    assert progress["percentComplete"] == 60.0 and progress["daysRemaining"] == 10
    assert isinstance(progress["isOnTrack"], bool)
    assert progress["startDate"] and progress["endDate"]
    assert card["myRank"] == {"rank": 2, "totalParticipants": 3}

    feed = data["recentActivities"]
    assert [a["id"] for a in feed] == [bob_public, mine_private]
    assert feed[0]["userName"] == "Bob" and "userAvatarUrl" in feed[0]
    assert feed[1]["isPrivate"] is True and feed[1]["userId"] == str(alice.id)

    (board,) = data["teamLeaderboards"]
    assert board["teamId"] == team["id"] and board["teamName"] == team["name"]
    assert board["period"] == "week"
    assert [(m["rank"], m["name"], m["distance"]) for m in board["members"]] == [
        (1, "Bob", 4000.0),
        (2, "Alice", 2000.0),
        (3, "Carol", 0.0),
    ]
    assert data["personalStats"]["bestDay"]["distance"] == 2000.0
    assert data["personalStats"]["totalActivities"] == 1


def test_unread_count_is_my_unread_in_app_notifications(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    for user, channel, read in [
        (alice, "REALTIME", None),
        (alice, "REALTIME", None),
        (alice, "REALTIME", datetime.now(UTC)),
        (alice, "EMAIL", None),
        (bob, "REALTIME", None),
    ]:
        db.execute(
            """INSERT INTO notifications (user_id, category, channel, title, read_at)
               VALUES (%s, 'MILESTONE', %s, 'Halfway', %s)""",
            (user.id, channel, read),
        )

    assert _dashboard(alice)["notifications"] == {"unreadCount": 2}


def _queries_for_dashboard_with(make_user, db, teams: int) -> int:
    me = make_user("Me")
    for i in range(teams):
        mate = make_user(f"Mate {i}")
        team = create_team(me)
        join(mate, team)
        backdate_memberships(db, team["id"], days=30)
        if i % 2 == 0:
            _active_goal(db, team["id"])
        # 10 recent walks a team: the feed's page is in its recent window, with one team too
        for k in range(5):
            add_walk(db, mate, 1000 + k, ago(hours=k + 1))
            add_walk(db, me, 700 + k, ago(hours=k + 1), private=bool(k % 2))
    data = _dashboard(me)
    assert len(data["teams"]) == teams and len(data["teamLeaderboards"]) == teams
    stats = timing.current()
    assert stats is not None
    return stats.count


def test_the_query_count_does_not_grow_with_the_number_of_teams(make_user, db):
    with_one = _queries_for_dashboard_with(make_user, db, 1)
    with_ten = _queries_for_dashboard_with(make_user, db, 10)

    assert with_one == with_ten
    assert with_ten <= 10, with_ten


def test_a_quiet_feed_still_shows_the_older_walks(make_user, db):
    me, mate = make_user("Me"), make_user("Mate")
    team = create_team(me)
    join(mate, team)
    backdate_memberships(db, team["id"], days=30)
    add_walk(db, mate, 1000, ago(hours=3))
    add_walk(db, mate, 1200, ago(days=9))  # outside the recent window
    add_walk(db, me, 800, ago(days=20), private=True)

    feed = _dashboard(me)["recentActivities"]

    assert [a["distance"] for a in feed] == [1000, 1200, 800]


def test_the_goal_card_carries_the_forecast_of_the_goals_progress(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    backdate_memberships(db, team["id"], days=30)
    goal = _active_goal(db, team["id"], target=50_000)
    for day in range(5):
        add_walk(db, bob, 1000 + 300 * day, ago(days=day, hours=1), private=day == 2)

    card = _dashboard(alice)["teams"][0]["progress"]
    progress = call("GET", f"/teams/{team['id']}/goals/{goal}/progress", user=alice).data

    assert card["forecast"] == progress["forecast"]
    assert set(card["forecast"]) == {"p10", "p50", "p90", "probabilityOnTime"}
    assert card["forecast"]["p10"] <= card["forecast"]["p50"] <= card["forecast"]["p90"]


def test_a_goal_card_without_enough_active_days_or_a_deadline(make_user, db):
    alice = make_user("Alice")
    team = create_team(alice)
    backdate_memberships(db, team["id"], days=30)
    goal = _active_goal(db, team["id"])
    db.execute("UPDATE team_goals SET end_date = NULL WHERE id = %s", (goal,))
    add_walk(db, alice, 1500, ago(hours=2))  # one active day: too few for a forecast

    card = _dashboard(alice)["teams"][0]["progress"]

    assert card["goalId"] == str(goal) and card["endDate"] is None
    assert card["daysRemaining"] is None and card["isOnTrack"] is None
    assert card["forecast"] is None
