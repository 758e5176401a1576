"""Team feed and team stats."""

from __future__ import annotations

from tests.integration.teams.helpers import create_team, join
from tests.support.api import call


def _backdate_memberships(db, team_id, days=30):
    db.execute(
        "UPDATE team_members SET joined_at = now() - make_interval(days => %s) WHERE team_id = %s",
        (days, team_id),
    )


def _activity(db, user, distance, ago="0 seconds", private=False):
    return db.execute(
        """INSERT INTO activities (user_id, distance, duration, activity_at, is_private)
           VALUES (%s, %s, 3000, now() - %s::interval, %s) RETURNING id""",
        (user.id, distance, ago, private),
    ).fetchone()[0]


def test_feed_shows_teammates_public_and_my_private_activities_while_members(make_user, db):
    alice, bob, carol, dave = (make_user(n) for n in ("Alice", "Bob", "Carol", "Dave"))
    team = create_team(alice)
    join(bob, team)
    join(carol, team)
    _backdate_memberships(db, team["id"])
    bob_public = _activity(db, bob, 1000, "1 hour")
    bob_private = _activity(db, bob, 1100, "2 hours", private=True)
    alice_private = _activity(db, alice, 1200, "3 hours", private=True)
    _activity(db, bob, 1300, "40 days")  # before Bob joined
    _activity(db, dave, 1400, "1 hour")  # never a member
    carol_while_member = _activity(db, carol, 1500, "4 hours")
    call("DELETE", f"/teams/{team['id']}/members/me", user=carol)
    _activity(db, carol, 1600, "0 seconds")  # after Carol left

    items = call("GET", f"/teams/{team['id']}/activities", user=alice).data["items"]
    assert [i["id"] for i in items] == [
        str(bob_public),
        str(alice_private),
        str(carol_while_member),
    ]
    first = items[0]
    assert first["userId"] == str(bob.id) and first["userName"] == "Bob"
    assert first["distance"] == 1000.0 and first["duration"] == 3000 and first["pace"] == 3000.0

    bob_view = call("GET", f"/teams/{team['id']}/activities", user=bob).data["items"]
    assert [i["id"] for i in bob_view] == [
        str(bob_public),
        str(bob_private),
        str(carol_while_member),
    ]


def test_feed_is_paged_newest_first(make_user, db):
    alice = make_user("Alice")
    team = create_team(alice)
    _backdate_memberships(db, team["id"])
    made = [_activity(db, alice, 1000, f"{h} hours") for h in (1, 2, 3)]
    url = f"/teams/{team['id']}/activities"
    first = call("GET", url, user=alice, query={"limit": 2}).data
    second = call("GET", url, user=alice, query={"limit": 2, "cursor": first["nextCursor"]}).data
    assert [i["id"] for i in first["items"] + second["items"]] == [str(m) for m in made]
    assert first["hasMore"] is True and second["hasMore"] is False


def test_feed_and_stats_are_for_members_only(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    public, private = create_team(alice, public=True), create_team(alice)
    for path in ("activities", "stats"):
        assert call("GET", f"/teams/{public['id']}/{path}", user=bob).status == 403
        assert call("GET", f"/teams/{private['id']}/{path}", user=bob).status == 404
        assert call("GET", f"/teams/{public['id']}/{path}").status == 401


def test_stats_totals_periods_and_active_members(make_user, db):
    alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
    team = create_team(alice)
    join(bob, team)
    join(carol, team)
    _backdate_memberships(db, team["id"], days=400)
    _activity(db, alice, 1000)  # today
    _activity(db, bob, 2000, private=True)  # today; private still counts in totals
    _activity(db, bob, 4000, "200 days")  # earlier this year, not this month
    stats = call("GET", f"/teams/{team['id']}/stats", user=carol).data
    assert stats["totalDistance"] == 7000.0
    assert stats["totalActivities"] == 3
    assert stats["memberCount"] == 3
    assert stats["distance"] == {"today": 3000.0, "thisWeek": 3000.0, "thisMonth": 3000.0}
    assert stats["activeToday"] == 2
    assert stats["activeThisWeek"] == 2
    assert stats["timezone"] == "UTC"


def test_stats_of_a_new_team_are_zero(make_user):
    alice = make_user("Alice")
    team = create_team(alice)
    stats = call("GET", f"/teams/{team['id']}/stats", user=alice).data
    assert stats["totalDistance"] == 0.0 and stats["totalActivities"] == 0
    assert stats["activeToday"] == 0 and stats["memberCount"] == 1


def test_a_member_who_left_and_rejoined_counts_only_while_a_member(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    _backdate_memberships(db, team["id"], days=30)
    # Bob was a member from 20 to 10 days ago, and again from 5 days ago (two history rows,
    # the second overlapping the first by a day, as a back-dated import could make them)
    db.execute(
        """INSERT INTO team_members (team_id, user_id, role, joined_at, left_at) VALUES
               (%(t)s, %(u)s, 'MEMBER', now() - interval '20 days', now() - interval '10 days'),
               (%(t)s, %(u)s, 'MEMBER', now() - interval '11 days', now() - interval '9 days'),
               (%(t)s, %(u)s, 'MEMBER', now() - interval '5 days', NULL)""",
        {"t": team["id"], "u": bob.id},
    )
    first_stint = _activity(db, bob, 100, "15 days")
    overlap = _activity(db, bob, 200, "250 hours")  # inside both of the first two stints
    _activity(db, bob, 400, "7 days")  # between stints: never counted
    _activity(db, bob, 800, "25 days")  # before he first joined
    now = _activity(db, bob, 1600, "1 hour")

    items = call("GET", f"/teams/{team['id']}/activities", user=alice).data["items"]
    assert [i["id"] for i in items] == [str(now), str(overlap), str(first_stint)]
    stats = call("GET", f"/teams/{team['id']}/stats", user=alice).data
    assert stats["totalDistance"] == 1900.0 and stats["totalActivities"] == 3
    assert stats["memberCount"] == 2
