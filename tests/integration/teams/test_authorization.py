"""Who may call each team-scoped route: anonymous, outsiders, members, admins.

The table is keyed by route key; a new `/teams/{teamId}...` route (of any area) without an
entry here fails `test_every_team_route_has_an_authorization_entry`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from functions.registry import ROUTES
from tests.integration.teams.helpers import create_team, join
from tests.support.api import TestUser, call

CALLERS = ("anonymous", "outsider_private", "outsider_public", "member", "admin")


@dataclass
class World:
    admin: TestUser
    member: TestUser
    target: TestUser  # another member, the object of member-management calls
    outsider: TestUser
    team: dict[str, Any]
    invite_id: str
    goal_id: str  # the team's ACTIVE goal
    draft_id: str  # a DRAFT goal (deletable)


def _world(make_user, *, public: bool) -> World:
    admin, member, target, outsider = (make_user(n) for n in ("Ada", "Mel", "Tia", "Oz"))
    team = create_team(admin, public=public)
    join(member, team)
    join(target, team)
    r = call("POST", f"/teams/{team['id']}/invites", user=admin, json_body={})
    active = call("POST", f"/teams/{team['id']}/goals", user=admin, json_body=_goal("ACTIVE"))
    draft = call("POST", f"/teams/{team['id']}/goals", user=admin, json_body=_goal("DRAFT"))
    return World(
        admin, member, target, outsider, team, r.data["id"], active.data["id"], draft.data["id"]
    )


def _goal(status: str) -> dict[str, Any]:
    return {
        "name": f"Lisbon to Porto ({status})",
        "startLocation": {"lat": 38.7223, "lng": -9.1393},
        "endLocation": {"lat": 41.1579, "lng": -8.6291},
        "endDate": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        "status": status,
    }


def _g(w: World, suffix: str = "") -> str:
    return f"/teams/{w.team['id']}/goals/{w.goal_id}{suffix}"


Request = Callable[[World], tuple[str, Any]]  # → (concrete path, json body)

REQUESTS: dict[str, Request] = {
    "GET /teams/{teamId}": lambda w: (f"/teams/{w.team['id']}", None),
    "PATCH /teams/{teamId}": lambda w: (f"/teams/{w.team['id']}", {"description": "new"}),
    "DELETE /teams/{teamId}": lambda w: (f"/teams/{w.team['id']}", None),
    "GET /teams/{teamId}/members": lambda w: (f"/teams/{w.team['id']}/members", None),
    "PATCH /teams/{teamId}/members/{userId}": lambda w: (
        f"/teams/{w.team['id']}/members/{w.target.id}",
        {"role": "ADMIN"},
    ),
    "DELETE /teams/{teamId}/members/{userId}": lambda w: (
        f"/teams/{w.team['id']}/members/{w.target.id}",
        None,
    ),
    "POST /teams/{teamId}/invites": lambda w: (f"/teams/{w.team['id']}/invites", {}),
    "GET /teams/{teamId}/invites": lambda w: (f"/teams/{w.team['id']}/invites", None),
    "DELETE /teams/{teamId}/invites/{inviteId}": lambda w: (
        f"/teams/{w.team['id']}/invites/{w.invite_id}",
        None,
    ),
    "GET /teams/{teamId}/activities": lambda w: (f"/teams/{w.team['id']}/activities", None),
    "GET /teams/{teamId}/stats": lambda w: (f"/teams/{w.team['id']}/stats", None),
    "GET /teams/{teamId}/analytics": lambda w: (f"/teams/{w.team['id']}/analytics", None),
    "POST /teams/{teamId}/goals": lambda w: (f"/teams/{w.team['id']}/goals", _goal("DRAFT")),
    "GET /teams/{teamId}/goals": lambda w: (f"/teams/{w.team['id']}/goals", None),
    "GET /teams/{teamId}/goals/active": lambda w: (f"/teams/{w.team['id']}/goals/active", None),
    "GET /teams/{teamId}/goals/{goalId}": lambda w: (_g(w), None),
    "PATCH /teams/{teamId}/goals/{goalId}": lambda w: (_g(w), {"description": "new"}),
    "PUT /teams/{teamId}/goals/{goalId}": lambda w: (_g(w), {"description": "new"}),
    "DELETE /teams/{teamId}/goals/{goalId}": lambda w: (
        f"/teams/{w.team['id']}/goals/{w.draft_id}",
        None,
    ),
    "GET /teams/{teamId}/goals/{goalId}/progress": lambda w: (_g(w, "/progress"), None),
    "GET /teams/{teamId}/goals/{goalId}/daily": lambda w: (_g(w, "/daily"), None),
    "GET /teams/{teamId}/leaderboard": lambda w: (f"/teams/{w.team['id']}/leaderboard", None),
    "GET /teams/{teamId}/leaderboard/rank": lambda w: (
        f"/teams/{w.team['id']}/leaderboard/rank",
        None,
    ),
}


def _row(anon: int, priv: int, pub: int, member: int, admin: int) -> dict[str, int]:
    return dict(zip(CALLERS, (anon, priv, pub, member, admin), strict=True))


# Expected status per caller: anonymous, outsider of a private team, outsider of a public team,
# member, admin.
TABLE: dict[str, dict[str, int]] = {
    "GET /teams/{teamId}": _row(401, 404, 200, 200, 200),
    "PATCH /teams/{teamId}": _row(401, 404, 403, 403, 200),
    "DELETE /teams/{teamId}": _row(401, 404, 403, 403, 200),
    "GET /teams/{teamId}/members": _row(401, 404, 403, 200, 200),
    "PATCH /teams/{teamId}/members/{userId}": _row(401, 404, 403, 403, 200),
    "DELETE /teams/{teamId}/members/{userId}": _row(401, 404, 403, 403, 200),
    "POST /teams/{teamId}/invites": _row(401, 404, 403, 403, 201),
    "GET /teams/{teamId}/invites": _row(401, 404, 403, 403, 200),
    "DELETE /teams/{teamId}/invites/{inviteId}": _row(401, 404, 403, 403, 200),
    "GET /teams/{teamId}/activities": _row(401, 404, 403, 200, 200),
    "GET /teams/{teamId}/stats": _row(401, 404, 403, 200, 200),
    "GET /teams/{teamId}/analytics": _row(401, 404, 403, 200, 200),
    "POST /teams/{teamId}/goals": _row(401, 404, 403, 201, 201),
    "GET /teams/{teamId}/goals": _row(401, 404, 403, 200, 200),
    "GET /teams/{teamId}/goals/active": _row(401, 404, 403, 200, 200),
    "GET /teams/{teamId}/goals/{goalId}": _row(401, 404, 403, 200, 200),
    "PATCH /teams/{teamId}/goals/{goalId}": _row(401, 404, 403, 403, 200),
    "PUT /teams/{teamId}/goals/{goalId}": _row(401, 404, 403, 403, 200),
    "DELETE /teams/{teamId}/goals/{goalId}": _row(401, 404, 403, 403, 200),
    "GET /teams/{teamId}/goals/{goalId}/progress": _row(401, 404, 403, 200, 200),
    "GET /teams/{teamId}/goals/{goalId}/daily": _row(401, 404, 403, 200, 200),
    "GET /teams/{teamId}/leaderboard": _row(401, 404, 403, 200, 200),
    "GET /teams/{teamId}/leaderboard/rank": _row(401, 404, 403, 200, 200),
}

TEAM_ROUTES = {
    r.key: r
    for r in ROUTES
    if r.path.startswith("/teams/{teamId}")  # every area's team-scoped routes (teams, goals)
}


def test_every_team_route_has_an_authorization_entry():
    assert set(TABLE) == set(TEAM_ROUTES)
    assert set(REQUESTS) == set(TEAM_ROUTES)


@pytest.mark.parametrize("key", sorted(TABLE))
@pytest.mark.parametrize("caller", CALLERS)
def test_authorization(make_user, db, key, caller):
    world = _world(make_user, public=caller == "outsider_public")
    user = {
        "anonymous": None,
        "outsider_private": world.outsider,
        "outsider_public": world.outsider,
        "member": world.member,
        "admin": world.admin,
    }[caller]
    path, body = REQUESTS[key](world)
    method = key.split(" ", 1)[0]
    r = call(method, path, user=user, json_body=body)
    expected = TABLE[key][caller]
    assert r.status == expected, (key, caller, r.body)
    # Refused calls change nothing: the team, its members and the invite are intact.
    if expected >= 400:
        live = db.execute(
            """SELECT t.deleted_at IS NULL,
                      (SELECT count(*) FROM team_members m
                        WHERE m.team_id = t.id AND m.left_at IS NULL AND m.role = 'ADMIN'),
                      (SELECT count(*) FROM team_members m
                        WHERE m.team_id = t.id AND m.left_at IS NULL)
               FROM teams t WHERE t.id = %s""",
            (world.team["id"],),
        ).fetchone()
        assert live == (True, 1, 3)
