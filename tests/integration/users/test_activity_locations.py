"""Activity locations are private (docs/analytics.md): only their owner ever sees them; they
are exported and erased on account deletion."""

from __future__ import annotations

import json
import re
from typing import Any

from functions.registry import ROUTES
from tests.integration.users.helpers import make_team
from tests.integration.users.test_delete_and_export import as_caller
from tests.support.api import TestUser, call

HERE = {"lat": 38.7071234, "lng": -9.1355678}
COORDS = ("38.7071234", "-9.1355678", "38.707", "-9.135")


def _fill(path: str, ids: dict[str, str]) -> str | None:
    """The path with its parameters filled, or None when one has no value here."""
    names = re.findall(r"\{(\w+)\}", path)
    if any(n not in ids for n in names):
        return None
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


def _leaks(body: Any) -> bool:
    text = json.dumps(body)
    return any(c in text for c in COORDS)


def test_only_the_owner_sees_a_location_on_every_route(
    cognito, idp, signed_up, make_user, db
) -> None:
    owner = as_caller(signed_up("Owner"))
    mate = make_user("Teammate")
    team_id = make_team(db, [(mate.id, "ADMIN"), (owner.id, "MEMBER")])

    # Given a walk with a location, logged by its owner
    r = call(
        "POST",
        "/activities",
        user=owner,
        json_body={"distance": 3000, "duration": 1800, "timestamp": _now(), "location": HERE},
    )
    assert r.status == 201, r.body
    activity = r.data["activity"]
    assert activity["location"] == HERE

    # Then the owner's own reads return it
    assert call("GET", f"/activities/{activity['id']}", user=owner).data["location"] == HERE
    own_list = call("GET", "/activities", user=owner).data["items"]
    assert [a["location"] for a in own_list] == [HERE]

    # And no other caller sees it on any GET route there is a value for
    ids = {
        "teamId": str(team_id),
        "activityId": activity["id"],
        "userId": str(owner.id),
    }
    walked = []
    for route in ROUTES:
        path = _fill(route.path, ids) if route.method == "GET" else None
        if path is None:
            continue
        for caller in (mate, None):
            res = call("GET", path, user=caller)
            assert not _leaks(res.body), (route.key, res.body)
        walked.append(route.key)
    assert "GET /activities/{activityId}" in walked and "GET /teams/{teamId}/activities" in walked
    seen = call("GET", f"/activities/{activity['id']}", user=mate)
    assert seen.status == 200 and seen.data["location"] is None

    # Editing: null removes it, a new point replaces it
    moved = {"lat": 41.1, "lng": -8.6}
    r = call("PATCH", f"/activities/{activity['id']}", user=owner, json_body={"location": moved})
    assert r.status == 200 and r.data["activity"]["location"] == moved
    r = call("PATCH", f"/activities/{activity['id']}", user=owner, json_body={"location": None})
    assert r.status == 200 and r.data["activity"]["location"] is None
    call("PATCH", f"/activities/{activity['id']}", user=owner, json_body={"location": HERE})

    # The export has it
    export = call("GET", "/users/me/export", user=owner).data
    assert [a["location"] for a in export["activities"]] == [HERE]

    # Account deletion erases it; the walk itself stays for the team's totals
    assert call("DELETE", "/users/me", user=owner).status == 200
    row = db.execute(
        "SELECT location IS NULL FROM activities WHERE id = %s", (activity["id"],)
    ).fetchone()
    assert row == (True,)


def test_bad_locations_are_400(make_user) -> None:
    me: TestUser = make_user("Bad location")
    for location in ({"lat": 91, "lng": 0}, {"lat": 0}, {"lat": "x", "lng": 0}, [1, 2]):
        body = {"distance": 1000, "duration": 600, "timestamp": _now(), "location": location}
        r = call("POST", "/activities", user=me, json_body=body)
        assert r.status == 400, (location, r.body)


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat()
