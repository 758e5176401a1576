"""Team leaderboard and rank: competition ranking, zeros, private walks, periods in the
requester's timezone, goals, leavers and deleted accounts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.integration.leaderboards.conftest import add_walk, ago, backdate_memberships
from tests.integration.teams.helpers import create_team, join
from tests.support.api import call


def _team(make_user, db, *names):
    users = [make_user(n) for n in names]
    team = create_team(users[0])
    for user in users[1:]:
        join(user, team)
    backdate_memberships(db, team["id"])
    return team, users


def _board(team, user, **query):
    r = call("GET", f"/teams/{team['id']}/leaderboard", user=user, query=query)
    assert r.status == 200, r.body
    assert r.headers["Cache-Control"] == "private, no-store"
    return r.data


def test_ties_share_a_rank_ordered_by_name_and_members_without_walks_are_zero(make_user, db):
    team, (alice, bob, carol, dave, eve) = _team(
        make_user, db, "Alice", "Carol", "Bob", "Dave", "Eve"
    )
    add_walk(db, alice, 5000, ago(hours=1))
    add_walk(db, bob, 3000, ago(hours=2))  # "Carol" by name, so sorts after Bob
    add_walk(db, carol, 3000, ago(hours=3))
    add_walk(db, dave, 1000, ago(hours=1), private=True)  # private walks count in the team

    board = _board(team, alice, period="all")

    rows = [(e["rank"], e["name"], e["distance"], e["activities"]) for e in board["entries"]]
    assert rows == [
        (1, "Alice", 5000.0, 1),
        (2, "Bob", 3000.0, 1),
        (2, "Carol", 3000.0, 1),
        (4, "Dave", 1000.0, 1),
        (5, "Eve", 0.0, 0),
    ]
    assert board["period"] == "all" and board["totalParticipants"] == 5
    assert set(board["entries"][0]) == {
        "rank",
        "userId",
        "name",
        "avatarUrl",
        "distance",
        "activities",
    }
    # a cut inside a tie keeps the board's name order, and counts everyone
    top = _board(team, eve, period="all", limit=2)
    assert [(e["rank"], e["name"]) for e in top["entries"]] == [(1, "Alice"), (2, "Bob")]
    assert top["totalParticipants"] == 5


def test_a_team_without_walks_has_everyone_at_zero_and_rank_one(make_user, db):
    team, (alice, bob) = _team(make_user, db, "Alice", "Bob")

    board = _board(team, bob, period="week")

    assert [(e["rank"], e["distance"]) for e in board["entries"]] == [(1, 0.0), (1, 0.0)]
    rank = call("GET", f"/teams/{team['id']}/leaderboard/rank", user=bob).data
    assert rank == {
        "period": "week",
        "rank": 1,
        "totalParticipants": 2,
        "distance": 0.0,
        "distanceToNextRank": None,
        "leadOverNextRank": None,
    }


def test_rank_gives_the_gap_to_the_rank_above_and_the_lead_over_the_one_below(make_user, db):
    team, (alice, bob, carol, dave) = _team(make_user, db, "Alice", "Bob", "Carol", "Dave")
    add_walk(db, alice, 9000, ago(hours=1))
    add_walk(db, bob, 6000, ago(hours=1))
    add_walk(db, carol, 6000, ago(hours=1))
    add_walk(db, dave, 2500, ago(hours=1))

    def rank(user):
        r = call("GET", f"/teams/{team['id']}/leaderboard/rank", user=user, query={"period": "all"})
        assert r.status == 200, r.body
        return r.data

    assert rank(carol) == {
        "period": "all",
        "rank": 2,
        "totalParticipants": 4,
        "distance": 6000.0,
        "distanceToNextRank": 3000.0,
        "leadOverNextRank": 3500.0,
    }
    assert rank(alice)["distanceToNextRank"] is None and rank(alice)["leadOverNextRank"] == 3000
    assert rank(dave)["rank"] == 4 and rank(dave)["leadOverNextRank"] is None


def test_week_is_the_iso_week_in_the_requesters_timezone(make_user, db):
    team, (alice, bob) = _team(make_user, db, "Alice", "Bob")
    db.execute("UPDATE users SET timezone = 'America/New_York' WHERE id = %s", (alice.id,))
    db.execute("UPDATE users SET timezone = 'UTC' WHERE id = %s", (bob.id,))
    ny = ZoneInfo("America/New_York")
    today = datetime.now(UTC).astimezone(ny).date()
    monday = datetime.combine(today - timedelta(days=today.weekday()), time(), tzinfo=ny)
    sunday_late = monday - timedelta(minutes=30)  # 23:30 on Sunday in New York
    add_walk(db, bob, 2000, sunday_late)  # Monday ~04:00 UTC: this week for a UTC requester
    add_walk(db, bob, 1000, monday)

    in_new_york = {e["name"]: e["distance"] for e in _board(team, alice)["entries"]}
    in_utc = {e["name"]: e["distance"] for e in _board(team, bob)["entries"]}

    assert in_new_york["Bob"] == 1000.0  # Sunday 23:30 belongs to last week in New York
    assert in_utc["Bob"] == 3000.0
    start = datetime.fromisoformat(_board(team, alice)["startDate"])
    assert start == monday


def test_month_and_all_time(make_user, db):
    team, (alice, bob) = _team(make_user, db, "Alice", "Bob")
    add_walk(db, bob, 1500, ago(minutes=5))
    add_walk(db, bob, 4000, ago(days=45))

    month = {e["name"]: e["distance"] for e in _board(team, alice, period="month")["entries"]}
    total = {e["name"]: e["distance"] for e in _board(team, alice, period="all")["entries"]}

    assert month["Bob"] == 1500.0
    assert total["Bob"] == 5500.0


def _goal(db, team_id, start, end, status="ACTIVE"):
    return db.execute(
        """INSERT INTO team_goals (team_id, name, status, start_location, end_location,
               route_data, route_geom, target_distance, start_date, end_date)
           VALUES (%s, 'Coast', %s, '{"lat": 38.7, "lng": -9.1}', '{"lat": 41.1, "lng": -8.6}',
                   '{"segments": []}', 'SRID=4326;LINESTRING(-9.1 38.7, -8.6 41.1)', 100000,
                   %s, %s) RETURNING id""",
        (team_id, status, start, end),
    ).fetchone()[0]


def test_goal_period_counts_the_goals_window_and_rejects_another_teams_goal(make_user, db):
    team, (alice, bob) = _team(make_user, db, "Alice", "Bob")
    other, _ = _team(make_user, db, "Zed")
    goal = _goal(db, team["id"], ago(days=10), ago(days=-10))
    foreign = _goal(db, other["id"], ago(days=10), ago(days=-10))
    add_walk(db, bob, 2000, ago(days=5))
    add_walk(db, bob, 7000, ago(days=20))  # before the goal started

    by_id = _board(team, alice, period="goal", goalId=str(goal))
    by_default = _board(team, alice, period="goal")  # the active goal

    assert by_id["goalId"] == str(goal) and by_default["goalId"] == str(goal)
    assert {e["name"]: e["distance"] for e in by_id["entries"]}["Bob"] == 2000.0
    r = call(
        "GET",
        f"/teams/{team['id']}/leaderboard",
        user=alice,
        query={"period": "goal", "goalId": str(foreign)},
    )
    assert r.status == 400 and r.code == "VALIDATION_ERROR"


@pytest.mark.parametrize(
    "query",
    [
        {"period": "year"},
        {"period": "week", "goalId": "00000000-0000-0000-0000-000000000001"},
        {"period": "goal", "goalId": "not-a-uuid"},
        {"period": "goal"},  # no active goal
        {"limit": "51"},
        {"limit": "0"},
    ],
)
def test_bad_queries_are_400(make_user, db, query):
    team, (alice,) = _team(make_user, db, "Alice")
    for path in ("/leaderboard", "/leaderboard/rank"):
        if path.endswith("rank") and "limit" in query:
            continue
        r = call("GET", f"/teams/{team['id']}{path}", user=alice, query=query)
        assert r.status == 400, (path, query, r.body)
        assert r.code == "VALIDATION_ERROR"


def test_a_member_who_left_is_off_the_board(make_user, db):
    team, (alice, bob, carol) = _team(make_user, db, "Alice", "Bob", "Carol")
    add_walk(db, carol, 8000, ago(hours=2))
    assert call("DELETE", f"/teams/{team['id']}/members/me", user=carol).status == 200

    board = _board(team, alice, period="all")

    assert [e["name"] for e in board["entries"]] == ["Alice", "Bob"]
    assert call("GET", f"/teams/{team['id']}/leaderboard", user=carol).status in (403, 404)


def test_a_deleted_account_never_appears(make_user, db):
    team, (alice, bob) = _team(make_user, db, "Alice", "Bob")
    add_walk(db, bob, 8000, ago(hours=2))
    db.execute("UPDATE users SET deleted_at = now() WHERE id = %s", (bob.id,))

    assert [e["name"] for e in _board(team, alice, period="all")["entries"]] == ["Alice"]


def test_non_members_cannot_read_a_team_board(make_user, db):
    team, _ = _team(make_user, db, "Alice")
    outsider = make_user("Mallory")
    r = call("GET", f"/teams/{team['id']}/leaderboard", user=outsider)
    assert r.status == 404  # a private team is invisible to non-members
    assert call("GET", f"/teams/{team['id']}/leaderboard").status == 401
