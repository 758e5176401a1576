"""DELETE /users/me and GET /users/me/export."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import jwt
import pytest
from botocore.exceptions import ClientError

from tests.integration.auth.conftest import PASSWORD, Account, register
from tests.integration.users.helpers import add_activity, make_team
from tests.support.api import TestUser, call


def as_caller(acct: Account) -> TestUser:
    claims = jwt.decode(acct.tokens["idToken"], options={"verify_signature": False})
    return TestUser(
        sub=claims["sub"], email=acct.email, name=acct.user["name"], id=UUID(acct.user["id"])
    )


def audit_actions(db: Any, user_id: UUID) -> list[str]:
    rows = db.execute(
        "SELECT action FROM audit_log WHERE actor_id = %s ORDER BY created_at", (user_id,)
    ).fetchall()
    return [r[0] for r in rows]


def test_delete_account_scrubs_ends_memberships_and_removes_sign_in(
    cognito, idp, signed_up, make_user, db
) -> None:
    acct = signed_up("Dora")
    dora = as_caller(acct)
    bob = make_user("Bob")
    shared = make_team(db, [(bob.id, "ADMIN"), (dora.id, "MEMBER")])
    solo = make_team(db, [(dora.id, "ADMIN")])
    activity = add_activity(db, dora.id, 4000)

    r = call("DELETE", "/users/me", user=dora)
    assert (r.status, r.data) == (200, {"deleted": True})

    name, email, avatar, deleted_at = db.execute(
        "SELECT name, email::text, avatar_url, deleted_at FROM users WHERE id = %s", (dora.id,)
    ).fetchone()
    assert name == "Deleted user"
    assert email == f"deleted+{dora.id}@deleted.invalid"
    assert avatar is None and deleted_at is not None
    live = db.execute(
        "SELECT count(*) FROM team_members WHERE user_id = %s AND left_at IS NULL", (dora.id,)
    ).fetchone()
    assert live == (0,)
    teams = dict(
        db.execute(
            "SELECT id, deleted_at IS NOT NULL FROM teams WHERE id IN (%s, %s)", (shared, solo)
        ).fetchall()
    )
    assert teams == {shared: False, solo: True}
    # Activities are kept so team totals do not change.
    assert db.execute("SELECT user_id FROM activities WHERE id = %s", (activity,)).fetchone() == (
        dora.id,
    )
    assert "ACCOUNT_DELETED" in audit_actions(db, dora.id)
    # The Cognito user is gone: no more sign-in, and its still-valid tokens bring nothing back.
    with pytest.raises(ClientError) as err:
        idp.admin_get_user(UserPoolId=cognito.user_pool_id, Username=acct.email)
    assert err.value.response["Error"]["Code"] == "UserNotFoundException"
    r = call("POST", "/auth/login", json_body={"email": acct.email, "password": PASSWORD})
    assert (r.status, r.code) == (401, "UNAUTHORIZED")
    r = call("GET", "/users/me", user=dora)
    assert (r.status, r.code) == (401, "UNAUTHORIZED")
    assert db.execute(
        "SELECT count(*) FROM users WHERE cognito_id = %s AND deleted_at IS NULL", (dora.sub,)
    ).fetchone() == (0,)
    # Bob no longer sees Dora.
    assert call("GET", f"/users/{dora.id}", user=bob).status == 404


def test_deleted_email_can_register_again(cognito, signed_up) -> None:
    acct = signed_up("Eve")
    assert call("DELETE", "/users/me", user=as_caller(acct)).status == 200
    r = register(acct.email, name="Eve Again")
    assert r.status == 201
    assert r.data["user"]["id"] != acct.user["id"]
    assert r.data["user"]["name"] == "Eve Again"


def test_sole_admin_with_members_must_hand_over_first(cognito, idp, signed_up, make_user, db):
    acct = signed_up("Fay")
    fay = as_caller(acct)
    bob = make_user("Bob")
    team = make_team(db, [(fay.id, "ADMIN"), (bob.id, "MEMBER")])
    r = call("DELETE", "/users/me", user=fay)
    assert (r.status, r.code) == (409, "LAST_ADMIN")
    # Nothing changed.
    assert db.execute("SELECT deleted_at FROM users WHERE id = %s", (fay.id,)).fetchone() == (None,)
    assert db.execute(
        "SELECT count(*) FROM team_members WHERE team_id = %s AND left_at IS NULL", (team,)
    ).fetchone() == (2,)
    idp.admin_get_user(UserPoolId=cognito.user_pool_id, Username=acct.email)
    # With another admin, deletion goes through and the team stays.
    db.execute(
        "UPDATE team_members SET role = 'ADMIN' WHERE team_id = %s AND user_id = %s",
        (team, bob.id),
    )
    assert call("DELETE", "/users/me", user=fay).status == 200
    assert db.execute("SELECT deleted_at FROM teams WHERE id = %s", (team,)).fetchone() == (None,)


def test_delete_when_identity_already_gone_from_pool(cognito, idp, signed_up) -> None:
    acct = signed_up("Gus")
    idp.admin_delete_user(UserPoolId=cognito.user_pool_id, Username=acct.email)
    assert call("DELETE", "/users/me", user=as_caller(acct)).status == 200


def test_export_contains_everything_and_is_audited(make_user, db) -> None:
    alice, bob = make_user("Alice"), make_user("Bob")
    team = make_team(db, [(alice.id, "ADMIN"), (bob.id, "MEMBER")])
    mine = add_activity(db, alice.id, 2500, private=True)
    theirs = add_activity(db, bob.id, 1000)
    db.execute(
        "INSERT INTO activity_comments (activity_id, user_id, text) VALUES (%s, %s, 'Nice')",
        (theirs, alice.id),
    )
    db.execute(
        "INSERT INTO activity_reactions (activity_id, user_id, emoji) VALUES (%s, %s, %s)",
        (theirs, alice.id, "👍"),
    )
    db.execute(
        """INSERT INTO notifications (user_id, category, title, body)
           VALUES (%s, 'MEMBER_JOINED', 'Bob joined', 'Say hi')""",
        (alice.id,),
    )
    db.execute(
        """INSERT INTO user_achievements (user_id, achievement_id)
           SELECT %s, id FROM achievements ORDER BY sort_order LIMIT 1""",
        (alice.id,),
    )
    r = call("GET", "/users/me/export", user=alice)
    assert r.status == 200
    data = r.data
    assert data["profile"]["id"] == str(alice.id)
    assert data["profile"]["email"] == alice.email
    assert data["stats"]["totalActivities"] == 0
    assert [m["teamId"] for m in data["memberships"]] == [str(team)]
    assert data["memberships"][0]["role"] == "ADMIN"
    assert [a["id"] for a in data["activities"]] == [str(mine)]
    assert data["activities"][0]["distance"] == 2500.0
    assert data["activities"][0]["isPrivate"] is True
    assert [c["text"] for c in data["comments"]] == ["Nice"]
    assert [x["emoji"] for x in data["reactions"]] == ["👍"]
    assert [n["title"] for n in data["notifications"]] == ["Bob joined"]
    assert len(data["achievements"]) == 1
    assert data["goalsCreated"] == []
    assert data["preferences"] == {
        "timezone": "UTC",
        "preferredUnits": "metric",
        "locale": "en",
        "notifications": [],
    }
    assert data["exportedAt"]
    # Nothing of Bob's.
    assert str(theirs) not in {a["id"] for a in data["activities"]}
    assert audit_actions(db, alice.id) == ["DATA_EXPORTED"]
    assert r.headers["Cache-Control"] == "private, no-store"


def test_two_admins_deleting_at_once_cannot_leave_members_without_admin(
    cognito, signed_up, make_user, db
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    a, b = as_caller(signed_up("Ann")), as_caller(signed_up("Ben"))
    carol = make_user("Carol")
    team = make_team(db, [(a.id, "ADMIN"), (b.id, "ADMIN"), (carol.id, "MEMBER")])
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda u: call("DELETE", "/users/me", user=u), [a, b]))
    assert sorted(r.status for r in results) == [200, 409]
    assert [r.code for r in results if r.status == 409] == ["LAST_ADMIN"]
    admins = db.execute(
        """SELECT count(*) FROM team_members
            WHERE team_id = %s AND left_at IS NULL AND role = 'ADMIN'""",
        (team,),
    ).fetchone()
    assert admins == (1,)


def test_deleting_an_account_keeps_the_teams_totals(cognito, signed_up, make_user, db) -> None:
    from datetime import UTC, datetime

    from milequest.domain.reconciliation import reconcile
    from tests.integration.goals.conftest import goal_body, in_days

    # Given Dora walked 4 km for a team goal (logged through the API, after joining)
    dora = as_caller(signed_up("Dora"))
    bob = make_user("Bob")
    team = make_team(db, [(bob.id, "ADMIN"), (dora.id, "MEMBER")])
    db.execute(
        "UPDATE team_members SET joined_at = now() - interval '1 day' WHERE team_id = %s", (team,)
    )
    body = goal_body(startDate=in_days(-0.5), status="ACTIVE")
    goal = call("POST", f"/teams/{team}/goals", user=bob, json_body=body).data
    walk = {"distance": 4000, "duration": 2880, "timestamp": datetime.now(UTC).isoformat()}
    assert call("POST", "/activities", user=dora, json_body=walk).status == 201

    # When she deletes her account
    assert call("DELETE", "/users/me", user=dora).status == 200

    # Then the team's progress still includes her walk, and a recomputation agrees
    progress = call("GET", f"/teams/{team}/goals/{goal['id']}/progress", user=bob).data
    assert progress["totalDistance"] == 4000
    assert UUID(goal["id"]) not in reconcile(db, repair=False).goals_repaired
