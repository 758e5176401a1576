from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.goals.conftest import COIMBRA, add_activity, create_goal, in_days
from tests.support.api import call


def _patch(team, goal, body, user=None, method="PATCH"):
    return call(
        method, f"/teams/{team.id}/goals/{goal['id']}", user=user or team.admin, json_body=body
    )


def test_admin_edits_details_and_waypoints_reroute(team, db) -> None:
    goal = create_goal(team)
    r = _patch(team, goal, {"name": "Via Coimbra", "waypoints": [COIMBRA]})
    data = r.data
    assert data["name"] == "Via Coimbra"
    assert len(data["route"]["segments"]) == 2
    assert data["targetDistance"] > goal["targetDistance"]
    assert data["targetDistance"] == pytest.approx(
        data["route"]["segments"][-1]["cumulativeDistance"], abs=0.001
    )
    length = db.execute(
        "SELECT ST_Length(route_geom) FROM team_goals WHERE id = %s", (goal["id"],)
    ).fetchone()[0]
    assert float(length) == pytest.approx(data["targetDistance"], rel=1e-3)


def test_put_is_an_alias_of_patch(team) -> None:
    goal = create_goal(team)
    r = _patch(team, goal, {"description": "by the coast"}, method="PUT")
    assert r.data["description"] == "by the coast"


def test_members_cannot_edit(team) -> None:
    goal = create_goal(team)
    r = _patch(team, goal, {"name": "nope"}, user=team.member)
    assert r.status == 403


def test_dates_must_stay_ordered(team) -> None:
    goal = create_goal(team)
    r = _patch(team, goal, {"startDate": in_days(40)})
    assert r.status == 400 and r.code == "VALIDATION_ERROR"


def test_activating_a_draft_backfills_progress(team, db) -> None:
    now = datetime.now(UTC)
    add_activity(db, team.member, 4000, now - timedelta(hours=5))
    goal = create_goal(team, startDate=(now - timedelta(days=1)).isoformat())
    data = _patch(team, goal, {"status": "ACTIVE"}).data
    assert data["status"] == "ACTIVE"
    assert data["progress"]["totalDistance"] == 4000
    row = db.execute(
        "SELECT total_distance FROM team_progress WHERE goal_id = %s", (goal["id"],)
    ).fetchone()
    assert float(row[0]) == 4000


def test_activating_when_another_is_active_is_goal_active(team) -> None:
    create_goal(team, status="ACTIVE")
    draft = create_goal(team)
    r = _patch(team, draft, {"status": "ACTIVE"})
    assert r.status == 409 and r.code == "GOAL_ACTIVE"


def test_cancel_is_audited_and_freezes_the_goal(team, db) -> None:
    goal = create_goal(team, status="ACTIVE")
    assert _patch(team, goal, {"status": "CANCELLED"}).data["status"] == "CANCELLED"
    audit = db.execute(
        "SELECT actor_id FROM audit_log WHERE action = 'GOAL_CANCELLED' AND target_id = %s",
        (goal["id"],),
    ).fetchall()
    assert [str(a[0]) for a in audit] == [str(team.admin.id)]
    r = _patch(team, goal, {"name": "revive"})
    assert r.status == 409 and r.code == "CONFLICT"
    # the slot is free again
    assert create_goal(team, status="ACTIVE")["status"] == "ACTIVE"


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("DRAFT", "CANCELLED"),
        ("DRAFT", "COMPLETED"),
        ("ACTIVE", "DRAFT"),
        ("ACTIVE", "COMPLETED"),
    ],
)
def test_other_transitions_are_conflicts(team, start, target) -> None:
    goal = create_goal(team, status=start)
    r = _patch(team, goal, {"status": target})
    assert r.status == 409 and r.code == "CONFLICT"


def test_delete_only_draft_or_cancelled(team, db) -> None:
    draft = create_goal(team)
    active = create_goal(team, status="ACTIVE")
    assert call("DELETE", f"/teams/{team.id}/goals/{active['id']}", user=team.admin).status == 409
    assert call("DELETE", f"/teams/{team.id}/goals/{draft['id']}", user=team.member).status == 403
    assert call("DELETE", f"/teams/{team.id}/goals/{draft['id']}", user=team.admin).status == 200
    _patch(team, active, {"status": "CANCELLED"})
    assert call("DELETE", f"/teams/{team.id}/goals/{active['id']}", user=team.admin).status == 200
    left = db.execute(
        "SELECT count(*) FROM team_goals WHERE id = ANY(%s::uuid[])", ([draft["id"], active["id"]],)
    ).fetchone()[0]
    assert left == 0
    assert call("DELETE", f"/teams/{team.id}/goals/{draft['id']}", user=team.admin).status == 404


def test_concurrent_activations_one_wins(team, db) -> None:
    drafts = [create_goal(team) for _ in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda g: _patch(team, g, {"status": "ACTIVE"}), drafts))
    assert sorted(r.status for r in results) == [200, 409]
    assert [r.code for r in results if r.status == 409] == ["GOAL_ACTIVE"]
    active = db.execute(
        "SELECT count(*) FROM team_goals WHERE team_id = %s AND status = 'ACTIVE'", (team.id,)
    ).fetchone()[0]
    assert active == 1


def test_concurrent_active_creations_one_wins(team) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(
                lambda _: call(
                    "POST",
                    f"/teams/{team.id}/goals",
                    user=team.admin,
                    json_body={
                        "name": "Race",
                        "startLocation": {"lat": 1, "lng": 1},
                        "endLocation": {"lat": 2, "lng": 2},
                        "endDate": in_days(10),
                        "status": "ACTIVE",
                    },
                ),
                range(4),
            )
        )
    assert sorted(r.status for r in results) == [201, 409, 409, 409]
