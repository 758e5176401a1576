"""Joining a team: by invite code or by id (public teams), the member cap under races,
rejoining after leaving."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.integration.teams.helpers import create_team, join, live_role
from tests.support.api import call


def test_join_private_team_with_its_invite_code_and_reuse_the_code(make_user, db):
    alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
    team = create_team(alice)
    r = call("POST", "/teams/join", user=bob, json_body={"inviteCode": team["inviteCode"]})
    assert r.status == 200
    assert r.data["team"]["id"] == team["id"]
    assert r.data["team"]["memberCount"] == 2
    assert r.data["team"]["inviteCode"] is None
    assert r.data["member"]["user"]["id"] == str(bob.id)
    assert r.data["member"]["role"] == "MEMBER"
    join(carol, team)  # the team's link code is reusable
    assert live_role(db, team["id"], carol.id) == "MEMBER"


def test_join_notifies_the_other_members(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    rows = db.execute(
        "SELECT user_id FROM notifications WHERE team_id = %s AND category = 'MEMBER_JOINED'",
        (team["id"],),
    ).fetchall()
    assert rows == [(alice.id,)]


def test_join_public_team_by_id_without_code(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice, public=True)
    r = call("POST", "/teams/join", user=bob, json_body={"teamId": team["id"]})
    assert r.status == 200
    assert live_role(db, team["id"], bob.id) == "MEMBER"


def test_join_private_team_by_id_is_not_found(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    r = call("POST", "/teams/join", user=bob, json_body={"teamId": team["id"]})
    assert r.status == 404
    assert live_role(db, team["id"], bob.id) is None


def test_join_with_unknown_code_or_bad_body(make_user):
    bob = make_user("Bob")
    r = call("POST", "/teams/join", user=bob, json_body={"inviteCode": "nope-nope-nope"})
    assert r.status == 404
    for body in ({}, {"inviteCode": "abcdefgh", "teamId": str(uuid.uuid4())}, {"teamId": "x"}):
        assert call("POST", "/teams/join", user=bob, json_body=body).status == 400, body
    assert call("POST", "/teams/join", json_body={"teamId": str(uuid.uuid4())}).status == 401


def test_join_twice_is_already_member(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice, public=True)
    join(bob, team)
    r = call("POST", "/teams/join", user=bob, json_body={"teamId": team["id"]})
    assert r.status == 409 and r.code == "ALREADY_MEMBER"
    r = call("POST", "/teams/join", user=alice, json_body={"inviteCode": team["inviteCode"]})
    assert r.status == 409 and r.code == "ALREADY_MEMBER"


def test_join_deleted_team_is_not_found(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice, public=True)
    call("DELETE", f"/teams/{team['id']}", user=alice)
    r = call("POST", "/teams/join", user=bob, json_body={"inviteCode": team["inviteCode"]})
    assert r.status == 404
    assert call("POST", "/teams/join", user=bob, json_body={"teamId": team["id"]}).status == 404


def test_join_full_team_is_team_full(make_user, db):
    alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
    team = create_team(alice, public=True)
    db.execute("UPDATE teams SET max_members = 2 WHERE id = %s", (team["id"],))
    join(bob, team)
    r = call("POST", "/teams/join", user=carol, json_body={"teamId": team["id"]})
    assert r.status == 409 and r.code == "TEAM_FULL"


def test_rejoin_after_leaving_keeps_history(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice, public=True)
    join(bob, team)
    assert call("DELETE", f"/teams/{team['id']}/members/me", user=bob).status == 200
    join(bob, team)
    rows = db.execute(
        "SELECT left_at IS NULL FROM team_members WHERE team_id = %s AND user_id = %s"
        " ORDER BY joined_at",
        (team["id"], bob.id),
    ).fetchall()
    assert rows == [(False,), (True,)]


def test_race_for_the_last_seat_lets_exactly_one_join(make_user, db):
    alice = make_user("Alice")
    team = create_team(alice, public=True)
    db.execute("UPDATE teams SET max_members = 2 WHERE id = %s", (team["id"],))
    racers = [make_user(f"Racer{i}") for i in range(6)]

    def attempt(user):
        return call("POST", "/teams/join", user=user, json_body={"teamId": team["id"]})

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(attempt, racers))
    statuses = sorted(r.status for r in results)
    assert statuses == [200] + [409] * 5
    assert {r.code for r in results if r.status == 409} == {"TEAM_FULL"}
    live = db.execute(
        "SELECT count(*) FROM team_members WHERE team_id = %s AND left_at IS NULL", (team["id"],)
    ).fetchone()
    assert live == (2,)
