"""Global and team-vs-team boards: served from the refreshed views, public walks only, never a
deleted account or team, cacheable (Cache-Control, strong ETag, 304). Each test owns its
database: these boards are global."""

from __future__ import annotations

from functions.jobs import refresh_leaderboards
from tests.integration.leaderboards.conftest import add_walk, ago, backdate_memberships
from tests.integration.teams.helpers import create_team, join
from tests.support.api import call


def _refresh():
    report = refresh_leaderboards.handler({}, None)
    assert set(report["refreshed"]) == {"global", "teams", "pace"}
    return report


def _global(**query):
    r = call("GET", "/leaderboards/global", query=query)
    assert r.status == 200, r.body
    return r


def _teams(**query):
    r = call("GET", "/leaderboards/teams", query=query)
    assert r.status == 200, r.body
    return r


def test_empty_boards_answer_no_entries_with_their_refresh_time(own_db):
    for r in (_global(), _teams(), _global(period="all"), _teams(period="month", metric="average")):
        assert r.data["entries"] == []
        assert r.data["asOf"]


def test_global_board_ranks_public_walks_and_leaves_out_private_only_users(own_db, own_user):
    alice, bob, carol, dave = (own_user(n) for n in ("Alice", "Carol", "Bob", "Dave"))
    add_walk(own_db, alice, 4000, ago(minutes=5))
    add_walk(own_db, alice, 9000, ago(minutes=5), private=True)  # never on a public board
    add_walk(own_db, bob, 2500, ago(minutes=5))  # named "Carol"
    add_walk(own_db, carol, 2500, ago(minutes=5))  # named "Bob": first among the tied
    add_walk(own_db, dave, 7000, ago(minutes=5), private=True)  # nothing public: absent

    assert _global(period="all").data["entries"] == []  # not refreshed yet
    before = _global(period="all").data["asOf"]
    _refresh()
    board = _global(period="all").data

    assert [(e["rank"], e["name"], e["distance"]) for e in board["entries"]] == [
        (1, "Alice", 4000.0),
        (2, "Bob", 2500.0),
        (2, "Carol", 2500.0),
    ]
    assert board["asOf"] > before
    assert [e["name"] for e in _global(period="all", limit=1).data["entries"]] == ["Alice"]


def test_periods_of_the_global_board(own_db, own_user):
    alice = own_user("Alice")
    add_walk(own_db, alice, 1000, ago(minutes=1))
    add_walk(own_db, alice, 5000, ago(days=70))
    _refresh()

    def distance(period):
        return [e["distance"] for e in _global(period=period).data["entries"]]

    assert distance("all") == [6000.0]
    assert distance("week") == [1000.0] and distance("month") == [1000.0]


def test_deleted_users_and_teams_vanish_before_the_next_refresh(own_db, own_user):
    alice, bob = own_user("Alice"), own_user("Bob")
    team = create_team(alice, public=True)
    join(bob, team)
    backdate_memberships(own_db, team["id"])
    add_walk(own_db, alice, 3000, ago(minutes=5))
    add_walk(own_db, bob, 2000, ago(minutes=5))
    _refresh()
    assert len(_global().data["entries"]) == 2 and len(_teams().data["entries"]) == 1

    own_db.execute("UPDATE users SET deleted_at = now() WHERE id = %s", (bob.id,))
    own_db.execute("UPDATE teams SET deleted_at = now() WHERE id = %s", (team["id"],))

    assert [e["name"] for e in _global().data["entries"]] == ["Alice"]
    assert _teams().data["entries"] == []
    _refresh()
    assert [e["name"] for e in _global().data["entries"]] == ["Alice"]
    assert _teams().data["entries"] == []


def test_team_board_by_total_and_by_average_per_active_member(own_db, own_user):
    a1, a2, a3, b1, c1 = (own_user(n) for n in ("A1", "A2", "A3", "B1", "C1"))
    big = create_team(a1, public=True, name="Big Walkers")
    for user in (a2, a3):
        join(user, big)
    small = create_team(b1, public=True, name="Small Walkers")
    hidden = create_team(c1, public=False, name="Hidden Walkers")
    for team in (big, small, hidden):
        backdate_memberships(own_db, team["id"])
    add_walk(own_db, a1, 3000, ago(minutes=5))
    add_walk(own_db, a2, 3000, ago(minutes=5))
    add_walk(own_db, a3, 9000, ago(minutes=5), private=True)  # public boards: public walks only
    add_walk(own_db, b1, 5000, ago(minutes=5))
    add_walk(own_db, c1, 50000, ago(minutes=5))  # private team: not on the public board
    _refresh()

    total = _teams(metric="total").data
    average = _teams(metric="average").data

    assert [(e["name"], e["totalDistance"], e["activeMembers"]) for e in total["entries"]] == [
        ("Big Walkers", 6000.0, 2),
        ("Small Walkers", 5000.0, 1),
    ]
    assert total["entries"][0]["memberCount"] == 3
    assert [(e["rank"], e["name"], e["averageDistance"]) for e in average["entries"]] == [
        (1, "Small Walkers", 5000.0),
        (2, "Big Walkers", 3000.0),
    ]
    assert average["metric"] == "average" and average["period"] == "week"


def test_public_boards_are_cacheable_with_a_strong_etag_and_304(own_db, own_user):
    add_walk(own_db, own_user("Alice"), 1000, ago(minutes=5))
    _refresh()
    for path in ("/leaderboards/global", "/leaderboards/teams"):
        first = call("GET", path)
        assert first.headers["Cache-Control"] == "public, max-age=60"
        etag = first.headers["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/")

        again = call("GET", path, headers={"If-None-Match": etag})
        assert again.status == 304 and again.body is None
        assert again.headers["ETag"] == etag

    before = call("GET", "/leaderboards/global").headers["ETag"]
    _refresh()  # a new asOf is a new answer
    assert call("GET", "/leaderboards/global", headers={"If-None-Match": before}).status == 200


def test_bad_queries_are_400(own_db):
    for path, query in [
        ("/leaderboards/global", {"period": "goal"}),
        ("/leaderboards/global", {"limit": "500"}),
        ("/leaderboards/teams", {"metric": "median"}),
        ("/leaderboards/teams", {"period": "year"}),
    ]:
        r = call("GET", path, query=query)
        assert r.status == 400 and r.code == "VALIDATION_ERROR", (path, query)
