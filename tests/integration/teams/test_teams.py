"""Teams: create, read, edit, delete, my teams, public directory."""

from __future__ import annotations

import uuid

from tests.integration.teams.helpers import add_member, create_team, unique
from tests.support.api import call


def test_create_team_makes_the_creator_admin_and_returns_invite_code(make_user, db):
    alice = make_user("Alice")
    name = unique()
    r = call(
        "POST",
        "/teams",
        user=alice,
        json_body={"name": name, "description": "Walkers", "isPublic": True},
    )
    assert r.status == 201
    team = r.data
    assert team["name"] == name
    assert team["description"] == "Walkers"
    assert team["isPublic"] is True
    assert team["memberCount"] == 1
    assert len(team["inviteCode"]) >= 8
    role = db.execute(
        "SELECT role FROM team_members WHERE team_id = %s AND user_id = %s AND left_at IS NULL",
        (team["id"], alice.id),
    ).fetchone()
    assert role == ("ADMIN",)


def test_invite_codes_are_unique_and_random(make_user):
    alice = make_user("Alice")
    codes = {create_team(alice)["inviteCode"] for _ in range(3)}
    assert len(codes) == 3


def test_duplicate_live_name_is_name_taken_case_insensitively(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    name = unique()
    create_team(alice, name=name)
    r = call("POST", "/teams", user=bob, json_body={"name": name.upper()})
    assert r.status == 409 and r.code == "NAME_TAKEN"


def test_name_of_a_deleted_team_can_be_reused(make_user):
    alice = make_user("Alice")
    name = unique()
    team = create_team(alice, name=name)
    assert call("DELETE", f"/teams/{team['id']}", user=alice).status == 200
    assert create_team(alice, name=name)["name"] == name


def test_create_team_validates_input(make_user):
    alice = make_user("Alice")
    for body in ({}, {"name": "x"}, {"name": "ok name", "bogus": 1}, {"name": "n" * 101}):
        r = call("POST", "/teams", user=alice, json_body=body)
        assert r.status == 400 and r.code == "VALIDATION_ERROR", body


def test_create_team_requires_sign_in():
    r = call("POST", "/teams", json_body={"name": unique()})
    assert r.status == 401


def test_eleventh_team_in_a_day_is_rate_limited_with_retry_after(make_user, db):
    alice = make_user("Alice")
    for _ in range(10):
        create_team(alice)
    r = call("POST", "/teams", user=alice, json_body={"name": unique()})
    assert r.status == 429 and r.code == "RATE_LIMITED"
    retry = int(r.headers["Retry-After"])
    assert 86000 < retry <= 86401
    # Once the oldest creation is older than a day, a slot frees up.
    db.execute(
        """UPDATE teams SET created_at = now() - interval '25 hours'
           WHERE id = (SELECT id FROM teams WHERE created_by = %s ORDER BY created_at LIMIT 1)""",
        (alice.id,),
    )
    assert call("POST", "/teams", user=alice, json_body={"name": unique()}).status == 201


def test_get_team_for_member_has_members_summary_and_role(make_user):
    alice = make_user("Alice")
    team = create_team(alice)
    r = call("GET", f"/teams/{team['id']}", user=alice)
    assert r.status == 200
    detail = r.data
    assert detail["userRole"] == "ADMIN"
    assert detail["inviteCode"] == team["inviteCode"]
    assert detail["memberCount"] == 1
    assert detail["members"][0]["user"]["id"] == str(alice.id)
    assert detail["members"][0]["role"] == "ADMIN"
    assert detail["activeGoal"] is None


def test_public_team_is_visible_to_non_members_without_role_or_code(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice, public=True)
    detail = call("GET", f"/teams/{team['id']}", user=bob).data
    assert detail["userRole"] is None
    assert detail["inviteCode"] is None


def test_private_team_is_not_found_for_non_members(make_user):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    r = call("GET", f"/teams/{team['id']}", user=bob)
    assert r.status == 404 and r.code == "NOT_FOUND"


def test_get_missing_or_malformed_team(make_user):
    alice = make_user("Alice")
    assert call("GET", f"/teams/{uuid.uuid4()}", user=alice).status == 404
    assert call("GET", "/teams/not-a-uuid", user=alice).status == 400


def test_active_goal_summary_reports_progress(make_user, db):
    alice = make_user("Alice")
    team = create_team(alice)
    goal_id = _active_goal(db, team["id"], alice.id, total=2500)
    goal = call("GET", f"/teams/{team['id']}", user=alice).data["activeGoal"]
    assert goal == {
        "id": str(goal_id),
        "name": "Coast to coast",
        "targetDistance": 10000.0,
        "totalDistance": 2500.0,
        "percentComplete": 25.0,
    }


def _active_goal(db, team_id, user_id, *, total=0.0, lng0=-0.1, lat0=51.5):
    row = db.execute(
        """INSERT INTO team_goals (team_id, created_by, name, status, start_location, end_location,
                                   route_geom, route_data, target_distance, start_date, end_date)
           VALUES (%s, %s, 'Coast to coast', 'ACTIVE',
                   jsonb_build_object('lat', %s::float, 'lng', %s::float),
                   jsonb_build_object('lat', %s::float + 0.1, 'lng', %s::float + 0.1),
                   ST_SetSRID(ST_MakeLine(ST_MakePoint(%s, %s), ST_MakePoint(%s + 0.1, %s + 0.1)),
                              4326)::geography,
                   '{}', 10000, now(), now() + interval '30 days')
           RETURNING id""",
        (team_id, user_id, lat0, lng0, lat0, lng0, lng0, lat0, lng0, lat0),
    ).fetchone()
    db.execute(
        "INSERT INTO team_progress (goal_id, team_id, total_distance) VALUES (%s, %s, %s)",
        (row[0], team_id, total),
    )
    return row[0]


def test_admin_updates_team_and_member_cannot(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    add_member(db, team["id"], bob.id)
    new_name = unique()
    r = call(
        "PATCH",
        f"/teams/{team['id']}",
        user=alice,
        json_body={"name": new_name, "description": None, "isPublic": True},
    )
    assert r.status == 200
    assert r.data["name"] == new_name and r.data["isPublic"] is True
    assert r.data["description"] is None
    r = call("PATCH", f"/teams/{team['id']}", user=bob, json_body={"name": unique()})
    assert r.status == 403
    assert call("PATCH", f"/teams/{team['id']}", user=alice, json_body={}).status == 400
    other = create_team(alice)
    r = call("PATCH", f"/teams/{other['id']}", user=alice, json_body={"name": new_name})
    assert r.status == 409 and r.code == "NAME_TAKEN"


def test_delete_team_soft_deletes_ends_memberships_and_audits(make_user, db):
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice)
    add_member(db, team["id"], bob.id)
    assert call("DELETE", f"/teams/{team['id']}", user=bob).status == 403
    r = call("DELETE", f"/teams/{team['id']}", user=alice)
    assert r.status == 200 and r.data == {"deleted": True}
    assert call("GET", f"/teams/{team['id']}", user=alice).status == 404
    deleted_at = db.execute("SELECT deleted_at FROM teams WHERE id = %s", (team["id"],)).fetchone()
    assert deleted_at[0] is not None
    live = db.execute(
        "SELECT count(*) FROM team_members WHERE team_id = %s AND left_at IS NULL", (team["id"],)
    ).fetchone()
    assert live == (0,)
    audit = db.execute(
        "SELECT actor_id FROM audit_log WHERE action = 'TEAM_DELETED' AND team_id = %s",
        (team["id"],),
    ).fetchall()
    assert audit == [(alice.id,)]
    ids = [t["id"] for t in call("GET", "/teams", user=alice).data["items"]]
    assert team["id"] not in ids


def test_my_teams_is_paged_newest_joined_first(make_user):
    alice = make_user("Alice")
    made = [create_team(alice)["id"] for _ in range(3)]
    first = call("GET", "/teams", user=alice, query={"limit": 2}).data
    assert [t["id"] for t in first["items"]] == made[::-1][:2]
    assert first["hasMore"] is True and first["items"][0]["role"] == "ADMIN"
    second = call("GET", "/teams", user=alice, query={"limit": 2, "cursor": first["nextCursor"]})
    assert [t["id"] for t in second.data["items"]] == [made[0]]
    assert second.data["hasMore"] is False and second.data["nextCursor"] is None
    assert call("GET", "/teams", user=alice, query={"cursor": "forged"}).status == 400
    assert call("GET", "/teams", user=alice, query={"limit": 51}).status == 400


def test_users_me_teams_lists_all_my_teams(make_user):
    alice = make_user("Alice")
    made = {create_team(alice)["id"] for _ in range(2)}
    items = call("GET", "/users/me/teams", user=alice).data
    assert {t["id"] for t in items} == made
    assert all(t["memberCount"] == 1 and t["role"] == "ADMIN" for t in items)


def test_public_directory_searches_by_name_without_auth(make_user):
    alice = make_user("Alice")
    tag = uuid.uuid4().hex[:10]
    public = create_team(alice, public=True, name=f"Pub {tag} walkers")
    create_team(alice, public=False, name=f"Priv {tag} walkers")
    r = call("GET", "/teams/public", query={"q": tag})
    assert r.status == 200
    assert [t["id"] for t in r.data["items"]] == [public["id"]]
    assert r.headers["Cache-Control"].startswith("public")
    assert "inviteCode" not in r.data["items"][0]
    # LIKE wildcards in q are literal.
    assert call("GET", "/teams/public", query={"q": f"{tag}%_"}).data["items"] == []


def test_public_directory_pages(make_user):
    alice = make_user("Alice")
    tag = uuid.uuid4().hex[:10]
    made = [create_team(alice, public=True, name=f"{tag} {i}")["id"] for i in range(3)]
    first = call("GET", "/teams/public", query={"q": tag, "limit": 2}).data
    second = call(
        "GET", "/teams/public", query={"q": tag, "limit": 2, "cursor": first["nextCursor"]}
    ).data
    assert [t["id"] for t in first["items"] + second["items"]] == made[::-1]


def test_public_directory_near_finds_teams_whose_active_route_passes_nearby(make_user, db):
    alice = make_user("Alice")
    tag = uuid.uuid4().hex[:10]
    # A route somewhere in the middle of the Pacific so other tests' teams don't interfere.
    near = create_team(alice, public=True, name=f"{tag} near")
    _active_goal(db, near["id"], alice.id, lng0=-150.0, lat0=10.0)
    far = create_team(alice, public=True, name=f"{tag} far")
    _active_goal(db, far["id"], alice.id, lng0=-150.0, lat0=20.0)
    create_team(alice, public=True, name=f"{tag} none")
    r = call("GET", "/teams/public", query={"near": "10.05,-149.95", "radiusKm": 20})
    ids = [t["id"] for t in r.data["items"]]
    assert near["id"] in ids and far["id"] not in ids
    assert r.data["items"][ids.index(near["id"])]["activeGoal"]["name"] == "Coast to coast"


def test_public_directory_rejects_malformed_near():
    for near in ("abc", "10", "91,0", "0,181", "nan,0", "1,2,3"):
        r = call("GET", "/teams/public", query={"near": near})
        assert r.status == 400 and r.code == "VALIDATION_ERROR", near
    assert call("GET", "/teams/public", query={"radiusKm": 0}).status == 400


def test_team_detail_members_array_shows_only_my_own_email(make_user) -> None:
    alice, bob = make_user("Alice"), make_user("Bob")
    team = create_team(alice, public=True)
    joined = call("POST", "/teams/join", user=bob, json_body={"teamId": team["id"]})
    # The join answers the team detail (data.id is the team) plus the new membership.
    assert joined.data["id"] == team["id"] and joined.data["team"]["id"] == team["id"]
    assert joined.data["member"]["user"]["id"] == str(bob.id)
    assert joined.data["memberCount"] == 2 and len(joined.data["members"]) == 2

    detail = call("GET", f"/teams/{team['id']}", user=bob).data
    emails = {m["user"]["id"]: m["user"]["email"] for m in detail["members"]}
    assert emails == {str(alice.id): None, str(bob.id): bob.email}
    assert [m["role"] for m in detail["members"]] == ["ADMIN", "MEMBER"]

    edited = call("PATCH", f"/teams/{team['id']}", user=alice, json_body={"description": "x"})
    assert edited.data["id"] == team["id"] and edited.data["description"] == "x"
    assert {m["user"]["email"] for m in edited.data["members"]} == {alice.email, None}

    outsider = make_user("Olga")
    public_view = call("GET", f"/teams/{team['id']}", user=outsider).data
    assert public_view["userRole"] is None
    assert all(m["user"]["email"] is None for m in public_view["members"])
