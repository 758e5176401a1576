"""Joining, leaving, removing, roles, member lists — including races for the same team."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.teams.helpers import add_member, create_team, join, live_role
from tests.support.api import call


def live_admins(db, team_id) -> int:
    return db.execute(
        """SELECT count(*) FROM team_members
            WHERE team_id = %s AND left_at IS NULL AND role = 'ADMIN'""",
        (team_id,),
    ).fetchone()[0]


def audited(db, action: str, team_id) -> list[tuple]:
    """(actor, target user) of the team's audit entries for `action`."""
    return db.execute(
        "SELECT actor_id, target_user_id FROM audit_log WHERE action = %s AND team_id = %s",
        (action, team_id),
    ).fetchall()


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
    assert live_role(db, team["id"], bob.id) == "ADMIN"
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
    assert live_role(db, team["id"], alice.id) == "ADMIN"


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
        assert live_admins(db, team["id"]) == 1
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
        assert live_admins(db, team["id"]) == 1
        assert sorted(r.status for r in results) == [200, 409], [r.body for r in results]
        assert [r.code for r in results if r.status == 409] == ["LAST_ADMIN"]


@pytest.fixture
def alice_and_bob(make_user):
    """Alice's team, which Bob joined: (alice, bob, team)."""
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    return alice, bob, team


def test_member_leaves_with_me_and_audit(alice_and_bob, db):
    alice, bob, team = alice_and_bob
    r = call("DELETE", f"/teams/{team['id']}/members/me", user=bob)
    assert r.status == 200
    assert r.data == {"removed": True, "userId": str(bob.id), "teamDeleted": False}
    assert live_role(db, team["id"], bob.id) is None
    assert call("GET", f"/teams/{team['id']}", user=bob).status == 404
    assert audited(db, "MEMBER_LEFT", team["id"]) == [(bob.id, bob.id)]


def test_admin_removes_member_with_audit(alice_and_bob, db):
    alice, bob, team = alice_and_bob
    r = call("DELETE", f"/teams/{team['id']}/members/{bob.id}", user=alice)
    assert r.status == 200
    assert live_role(db, team["id"], bob.id) is None
    assert audited(db, "MEMBER_REMOVED", team["id"]) == [(alice.id, bob.id)]
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
