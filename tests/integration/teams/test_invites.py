"""Team invites: create, list, revoke, join by invite code, my invites."""

from __future__ import annotations

import uuid

from tests.integration.teams.helpers import create_team, join
from tests.support.api import call


def _invite(admin, team, **body):
    r = call("POST", f"/teams/{team['id']}/invites", user=admin, json_body=body)
    assert r.status == 201, r.body
    return r.data


def _join(user, code):
    return call("POST", "/teams/join", user=user, json_body={"inviteCode": code})


def test_admin_creates_open_invite_with_default_expiry(make_user, db):
    alice = make_user("Alice")
    team = create_team(alice)
    invite = _invite(alice, team)
    assert len(invite["code"]) >= 8 and invite["status"] == "PENDING"
    assert invite["teamId"] == team["id"] and invite["invitedBy"] == str(alice.id)
    days = db.execute(
        "SELECT extract(epoch FROM expires_at - created_at) / 86400 FROM team_invites"
        " WHERE id = %s",
        (invite["id"],),
    ).fetchone()[0]
    assert round(float(days)) == 7
    assert _invite(alice, team, expiresInDays=2)["code"] != invite["code"]


def test_create_invite_validates_input(make_user):
    alice = make_user("Alice")
    team = create_team(alice)
    url = f"/teams/{team['id']}/invites"
    for body in (
        {"expiresInDays": 0},
        {"expiresInDays": 31},
        {"email": "not-an-email"},
        {"email": "a@b.co", "userId": str(uuid.uuid4())},
        {"userId": str(uuid.uuid4())},  # no such user
    ):
        assert call("POST", url, user=alice, json_body=body).status == 400, body


def test_inviting_a_current_member_is_already_member(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    r = call("POST", f"/teams/{team['id']}/invites", user=alice, json_body={"userId": str(bob.id)})
    assert r.status == 409 and r.code == "ALREADY_MEMBER"


def test_addressed_invite_notifies_the_user_and_shows_in_my_invites(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    by_id = _invite(alice, team, userId=str(bob.id))
    by_email = _invite(alice, team, email=bob.email.upper())
    rows = db.execute(
        """SELECT data->>'inviteId' FROM notifications
           WHERE user_id = %s AND category = 'INVITE_RECEIVED' ORDER BY created_at""",
        (bob.id,),
    ).fetchall()
    assert {r[0] for r in rows} == {by_id["id"], by_email["id"]}
    mine = call("GET", "/users/me/invites", user=bob).data
    assert {i["id"] for i in mine} == {by_id["id"], by_email["id"]}
    assert mine[0]["team"] == {"id": team["id"], "name": team["name"], "avatarUrl": None}
    assert mine[0]["invitedBy"]["id"] == str(alice.id)
    assert call("GET", "/users/me/invites", user=alice).data == []


def test_addressed_invite_is_single_use_and_only_for_its_addressee(make_user, db):
    alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
    team = create_team(alice)
    invite = _invite(alice, team, userId=str(bob.id))
    r = _join(carol, invite["code"])
    assert r.status == 403
    r = _join(bob, invite["code"])
    assert r.status == 200 and r.data["team"]["id"] == team["id"]
    row = db.execute(
        "SELECT status, accepted_by, accepted_at IS NOT NULL FROM team_invites WHERE id = %s",
        (invite["id"],),
    ).fetchone()
    assert row == ("ACCEPTED", bob.id, True)
    assert call("GET", "/users/me/invites", user=bob).data == []
    # Leaving and trying the same code again: it's used up.
    call("DELETE", f"/teams/{team['id']}/members/me", user=bob)
    assert _join(bob, invite["code"]).status == 404


def test_email_invite_works_for_the_matching_account_only(make_user):
    alice, bob, carol = make_user("Alice"), make_user("Bob"), make_user("Carol")
    team = create_team(alice)
    invite = _invite(alice, team, email=bob.email)
    assert _join(carol, invite["code"]).status == 403
    assert _join(bob, invite["code"]).status == 200


def test_open_invite_code_is_reusable_until_revoked(make_user, db):
    alice, bob, carol, dave = (make_user(n) for n in ("Alice", "Bob", "Carol", "Dave"))
    team = create_team(alice)
    invite = _invite(alice, team)
    assert _join(bob, invite["code"]).status == 200
    assert _join(carol, invite["code"]).status == 200
    r = call("DELETE", f"/teams/{team['id']}/invites/{invite['id']}", user=alice)
    assert r.status == 200 and r.data["status"] == "REVOKED"
    assert _join(dave, invite["code"]).status == 404


def test_expired_invite_cannot_be_used_or_listed(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    invite = _invite(alice, team, userId=str(bob.id))
    db.execute(
        """UPDATE team_invites SET created_at = now() - interval '9 days',
                                  expires_at = now() - interval '1 day' WHERE id = %s""",
        (invite["id"],),
    )
    assert _join(bob, invite["code"]).status == 404
    assert call("GET", "/users/me/invites", user=bob).data == []
    assert call("GET", f"/teams/{team['id']}/invites", user=alice).data == []


def test_list_invites_shows_pending_only_for_admins(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    join(bob, team)
    kept = _invite(alice, team)
    revoked = _invite(alice, team)
    call("DELETE", f"/teams/{team['id']}/invites/{revoked['id']}", user=alice)
    r = call("GET", f"/teams/{team['id']}/invites", user=alice)
    assert [i["id"] for i in r.data] == [kept["id"]]
    assert call("GET", f"/teams/{team['id']}/invites", user=bob).status == 403
    assert call("POST", f"/teams/{team['id']}/invites", user=bob, json_body={}).status == 403
    r = call("DELETE", f"/teams/{team['id']}/invites/{kept['id']}", user=bob)
    assert r.status == 403


def test_revoke_unknown_or_other_teams_invite_is_not_found(make_user):
    alice = make_user("Alice")
    team, other = create_team(alice), create_team(alice)
    invite = _invite(alice, other)
    assert call("DELETE", f"/teams/{team['id']}/invites/{invite['id']}", user=alice).status == 404
    r = call("DELETE", f"/teams/{team['id']}/invites/{uuid.uuid4()}", user=alice)
    assert r.status == 404


def test_revoking_an_accepted_invite_is_a_conflict(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    invite = _invite(alice, team, userId=str(bob.id))
    _join(bob, invite["code"])
    r = call("DELETE", f"/teams/{team['id']}/invites/{invite['id']}", user=alice)
    assert r.status == 409


def test_joining_by_team_code_accepts_invites_addressed_to_me(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice, public=True)
    invite = _invite(alice, team, userId=str(bob.id))
    call("POST", "/teams/join", user=bob, json_body={"teamId": team["id"]})
    status = db.execute("SELECT status FROM team_invites WHERE id = %s", (invite["id"],)).fetchone()
    assert status == ("ACCEPTED",)
