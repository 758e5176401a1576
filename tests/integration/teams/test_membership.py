"""Joining, leaving, removing, roles, member lists — including races for the same team."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.integration.teams.helpers import add_member, create_team, join
from tests.support.api import call


def _live_role(db, team_id, user_id):
    row = db.execute(
        "SELECT role FROM team_members WHERE team_id = %s AND user_id = %s AND left_at IS NULL",
        (team_id, user_id),
    ).fetchone()
    return None if row is None else row[0]


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
    assert _live_role(db, team["id"], carol.id) == "MEMBER"


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
    assert _live_role(db, team["id"], bob.id) == "MEMBER"


def test_join_private_team_by_id_is_not_found(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    r = call("POST", "/teams/join", user=bob, json_body={"teamId": team["id"]})
    assert r.status == 404
    assert _live_role(db, team["id"], bob.id) is None


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


def test_members_list_has_stats_since_joining_and_is_paged(make_user, db):
    alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
    team = create_team(alice)
    join(bob, team)
    join(carol, team)
    # One of Bob's activities predates his membership and doesn't count.
    db.execute(
        """INSERT INTO activities (user_id, distance, duration, activity_at) VALUES
           (%s, 5000, 3000, now() - interval '10 days'),
           (%s, 3000, 1800, now() + interval '1 second'),
           (%s, 2000, 1200, now() + interval '2 seconds')""",
        (bob.id, bob.id, bob.id),
    )
    first = call("GET", f"/teams/{team['id']}/members", user=bob, query={"limit": 2}).data
    assert [m["user"]["id"] for m in first["items"]] == [str(alice.id), str(bob.id)]
    assert first["items"][0]["role"] == "ADMIN"
    assert first["items"][0]["stats"] == {
        "totalDistance": 0.0,
        "activityCount": 0,
        "lastActivityAt": None,
    }
    bob_stats = first["items"][1]["stats"]
    assert bob_stats["totalDistance"] == 5000.0 and bob_stats["activityCount"] == 2
    assert bob_stats["lastActivityAt"] is not None
    second = call(
        "GET",
        f"/teams/{team['id']}/members",
        user=bob,
        query={"limit": 2, "cursor": first["nextCursor"]},
    ).data
    assert [m["user"]["id"] for m in second["items"]] == [str(carol.id)]
    assert second["hasMore"] is False


def test_members_list_is_for_members_only(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    public = create_team(alice, public=True)
    private = create_team(alice)
    assert call("GET", f"/teams/{public['id']}/members", user=bob).status == 403
    assert call("GET", f"/teams/{private['id']}/members", user=bob).status == 404


def test_admin_promotes_and_demotes_with_audit(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    url = f"/teams/{team['id']}/members/{bob.id}"
    r = call("PATCH", url, user=alice, json_body={"role": "ADMIN"})
    assert r.status == 200 and r.data["role"] == "ADMIN"
    assert _live_role(db, team["id"], bob.id) == "ADMIN"
    audit = db.execute(
        """SELECT actor_id, target_user_id, details FROM audit_log
           WHERE action = 'ROLE_CHANGED' AND team_id = %s""",
        (team["id"],),
    ).fetchall()
    assert audit == [(alice.id, bob.id, {"from": "MEMBER", "to": "ADMIN"})]
    assert call("PATCH", url, user=alice, json_body={"role": "OWNER"}).status == 400


def test_member_cannot_change_roles(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    r = call(
        "PATCH", f"/teams/{team['id']}/members/{alice.id}", user=bob, json_body={"role": "MEMBER"}
    )
    assert r.status == 403


def test_last_admin_cannot_be_demoted(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    r = call(
        "PATCH", f"/teams/{team['id']}/members/{alice.id}", user=alice, json_body={"role": "MEMBER"}
    )
    assert r.status == 409 and r.code == "LAST_ADMIN"
    assert _live_role(db, team["id"], alice.id) == "ADMIN"


def test_change_role_of_non_member_is_not_found(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    r = call(
        "PATCH", f"/teams/{team['id']}/members/{bob.id}", user=alice, json_body={"role": "ADMIN"}
    )
    assert r.status == 404


def test_two_admins_demoting_each_other_at_once_leaves_one_admin(make_user, db):
    for _ in range(5):
        alice, bob = make_user("Alice"), make_user("Bob")
        team = create_team(alice)
        add_member(db, team["id"], bob.id, "ADMIN")

        def demote(actor, target, team=team):
            return call(
                "PATCH",
                f"/teams/{team['id']}/members/{target.id}",
                user=actor,
                json_body={"role": "MEMBER"},
            )

        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(demote, alice, bob), pool.submit(demote, bob, alice)]
            results = [f.result() for f in futures]
        admins = db.execute(
            """SELECT count(*) FROM team_members
               WHERE team_id = %s AND left_at IS NULL AND role = 'ADMIN'""",
            (team["id"],),
        ).fetchone()
        assert admins == (1,)
        statuses = sorted(r.status for r in results)
        # The first demotion wins; the loser was demoted by it, so is no longer an admin.
        assert statuses == [200, 403], [r.body for r in results]


def test_two_admins_stepping_down_at_once_leaves_one_admin(make_user, db):
    for _ in range(5):
        alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
        team = create_team(alice)
        add_member(db, team["id"], bob.id, "ADMIN")
        add_member(db, team["id"], carol.id)

        def step_down(actor, team=team):
            return call(
                "PATCH",
                f"/teams/{team['id']}/members/{actor.id}",
                user=actor,
                json_body={"role": "MEMBER"},
            )

        def leave(actor, team=team):
            return call("DELETE", f"/teams/{team['id']}/members/me", user=actor)

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = [f.result() for f in [pool.submit(step_down, alice), pool.submit(leave, bob)]]
        admins = db.execute(
            """SELECT count(*) FROM team_members
               WHERE team_id = %s AND left_at IS NULL AND role = 'ADMIN'""",
            (team["id"],),
        ).fetchone()
        assert admins == (1,)
        assert sorted(r.status for r in results) == [200, 409], [r.body for r in results]
        assert [r.code for r in results if r.status == 409] == ["LAST_ADMIN"]


def test_member_leaves_with_me_and_audit(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    r = call("DELETE", f"/teams/{team['id']}/members/me", user=bob)
    assert r.status == 200
    assert r.data == {"removed": True, "userId": str(bob.id), "teamDeleted": False}
    assert _live_role(db, team["id"], bob.id) is None
    assert call("GET", f"/teams/{team['id']}", user=bob).status == 404
    audit = db.execute(
        "SELECT actor_id, target_user_id FROM audit_log WHERE action = 'MEMBER_LEFT'"
        " AND team_id = %s",
        (team["id"],),
    ).fetchall()
    assert audit == [(bob.id, bob.id)]


def test_admin_removes_member_with_audit(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    r = call("DELETE", f"/teams/{team['id']}/members/{bob.id}", user=alice)
    assert r.status == 200
    assert _live_role(db, team["id"], bob.id) is None
    audit = db.execute(
        "SELECT actor_id, target_user_id FROM audit_log WHERE action = 'MEMBER_REMOVED'"
        " AND team_id = %s",
        (team["id"],),
    ).fetchall()
    assert audit == [(alice.id, bob.id)]
    assert call("DELETE", f"/teams/{team['id']}/members/{bob.id}", user=alice).status == 404


def test_member_cannot_remove_others(make_user):
    alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
    team = create_team(alice)
    join(bob, team)
    join(carol, team)
    assert call("DELETE", f"/teams/{team['id']}/members/{carol.id}", user=bob).status == 403


def test_last_admin_cannot_leave_or_be_removed_while_others_remain(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    r = call("DELETE", f"/teams/{team['id']}/members/me", user=alice)
    assert r.status == 409 and r.code == "LAST_ADMIN"
    r = call("DELETE", f"/teams/{team['id']}/members/{alice.id}", user=alice)
    assert r.status == 409 and r.code == "LAST_ADMIN"
    # After promoting Bob, Alice may leave.
    call("PATCH", f"/teams/{team['id']}/members/{bob.id}", user=alice, json_body={"role": "ADMIN"})
    assert call("DELETE", f"/teams/{team['id']}/members/me", user=alice).status == 200


def test_sole_member_leaving_deletes_the_team(make_user, db):
    alice = make_user("Alice")
    team = create_team(alice)
    r = call("DELETE", f"/teams/{team['id']}/members/me", user=alice)
    assert r.status == 200 and r.data["teamDeleted"] is True
    deleted = db.execute("SELECT deleted_at FROM teams WHERE id = %s", (team["id"],)).fetchone()
    assert deleted[0] is not None


def test_remove_member_rejects_bad_user_id(make_user):
    alice = make_user("Alice")
    team = create_team(alice)
    assert call("DELETE", f"/teams/{team['id']}/members/nobody", user=alice).status == 400
