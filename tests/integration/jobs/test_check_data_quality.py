"""The data-quality job finds each kind of bad row it looks for, reports aggregate drift
without repairing it, and publishes DataQualityFindings in total and per check."""

from __future__ import annotations

import json
import uuid

from functions.jobs import check_data_quality
from milequest.db.data_quality import CHECKS
from milequest.observability import metrics
from tests.integration.jobs.conftest import seed_world


def _clean_counts() -> dict[str, int]:
    return dict.fromkeys(
        [*CHECKS, "user_stats_drift", "user_daily_totals_drift", "team_progress_drift"], 0
    )


def test_seeded_database_is_clean(own_database) -> None:
    world = seed_world(own_database, teams=1)
    report = check_data_quality.handler({}, None)
    assert report["checks"] == _clean_counts()
    assert report["findings"] == 0 and report["samples"] == {}
    assert report["usersChecked"] == len(world.users) and report["goalsChecked"] == 1
    json.dumps(report)


def test_each_violation_is_found_and_drift_is_not_repaired(own_database, conn) -> None:
    # Given a healthy world, then damage of every kind the database cannot prevent
    world = seed_world(own_database, teams=2)
    team_a, team_b = world.team_ids
    goal_a, goal_b = world.goal_ids
    admin_a = world.users[0]
    member_b = world.users[4]
    # A soft-deleted user who still holds a live membership (team B's member)
    conn.execute("UPDATE users SET deleted_at = now() WHERE id = %s", (member_b.id,))
    # Team A's admin demoted: members and no admin; and its goal's stats drift
    conn.execute(
        "UPDATE team_members SET role = 'MEMBER' WHERE team_id = %s AND user_id = %s",
        (team_a, admin_a.id),
    )
    conn.execute(
        "UPDATE team_progress SET total_distance = total_distance + 1 WHERE goal_id = %s",
        (goal_a,),
    )
    conn.execute(
        "UPDATE user_stats SET total_activities = total_activities + 5 WHERE user_id = %s",
        (admin_a.id,),
    )
    # Team A's admin's daily totals drift too, and one of their days is left empty
    conn.execute(
        "UPDATE user_daily_totals SET distance = distance + 1 WHERE user_id = %s",
        (admin_a.id,),
    )
    conn.execute("INSERT INTO user_daily_totals VALUES (%s, '2001-01-01', 0, 0, 0)", (admin_a.id,))
    # Team B's ACTIVE goal long past its end date
    conn.execute(
        "UPDATE team_goals SET start_date = now() - interval '30 days', "
        "end_date = now() - interval '3 days' WHERE id = %s",
        (goal_b,),
    )
    # A soft-deleted team that kept a member and a pending invite, and is over capacity
    deleted = conn.execute(
        "INSERT INTO teams (name, invite_code, max_members, deleted_at) "
        "VALUES (%s, %s, 1, now()) RETURNING id",
        (f"gone {uuid.uuid4().hex[:8]}", uuid.uuid4().hex),
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO team_members (team_id, user_id, role) VALUES (%s, %s, 'ADMIN')",
        (deleted, admin_a.id),
    )
    conn.execute(
        "INSERT INTO team_invites (team_id, code, expires_at) "
        "VALUES (%s, %s, now() + interval '1 day')",
        (deleted, uuid.uuid4().hex),
    )
    # A live team over its capacity
    conn.execute("UPDATE teams SET max_members = 1 WHERE id = %s", (team_b,))
    # Team A's goal lost an edge of its route (the near-route search would miss it there)
    conn.execute(
        "DELETE FROM team_goal_route_edges WHERE goal_id = %s AND n = "
        "(SELECT max(n) FROM team_goal_route_edges WHERE goal_id = %s)",
        (goal_a, goal_a),
    )
    # One walk's stored export entry no longer what the rendering gives: the stored column
    # keeps calling the function it was made with (renamed here), while the check asks the
    # function of that name now, which renders that walk differently
    stale = conn.execute(
        "SELECT id FROM activities WHERE user_id = %s ORDER BY id LIMIT 1", (admin_a.id,)
    ).fetchone()[0]
    conn.execute(
        "ALTER FUNCTION activity_export_json(uuid, numeric, integer, timestamptz, text, boolean,"
        " text, text, timestamptz, timestamptz, geography) RENAME TO activity_export_json_made"
    )
    conn.execute(
        f"""CREATE FUNCTION activity_export_json(i uuid, d numeric, s integer, t timestamptz,
                n text, p boolean, src text, ext text, c timestamptz, u timestamptz,
                loc geography) RETURNS text LANGUAGE sql IMMUTABLE AS $$
              SELECT CASE WHEN i = '{stale}' THEN '{{"re-rendered":true}}'
                          ELSE activity_export_json_made(i, d, s, t, n, p, src, ext, c, u, loc)
                     END $$"""
    )
    # A live user whose stats row is missing
    conn.execute("DELETE FROM user_stats WHERE user_id = %s", (world.users[5].id,))
    # Rows whose parent is gone: only a damaged (or partially restored) database has them, so
    # the foreign keys are dropped to make them.
    for table, constraint in (
        ("activity_reactions", "activity_reactions_activity_id_fkey"),
        ("activity_comments", "activity_comments_activity_id_fkey"),
    ):
        conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
    conn.execute("UPDATE activity_reactions SET activity_id = gen_random_uuid()")
    conn.execute("UPDATE activity_comments SET activity_id = gen_random_uuid()")
    # A second live membership of one team (the unique index dropped, as damage would)
    conn.execute("DROP INDEX team_members_live")
    conn.execute(
        "INSERT INTO team_members (team_id, user_id) VALUES (%s, %s)",
        (team_b, world.users[3].id),
    )

    # When the job runs
    report = check_data_quality.handler({}, None)

    # Then each check finds its rows
    checks = report["checks"]
    expected = {
        "memberships_of_deleted_users": 1,
        "memberships_of_deleted_teams": 1,
        "pending_invites_of_deleted_teams": 1,
        "active_goals_past_end_date": 1,
        "live_teams_without_admin": 1,
        "duplicate_live_memberships": 1,
        "teams_over_capacity": 1,
        "users_without_stats": 1,
        "reactions_on_missing_activities": 2,
        "comments_on_missing_activities": 2,
        "user_stats_drift": 1,
        "user_daily_totals_drift": 1,
        "empty_daily_totals": 1,
        "team_progress_drift": 1,
        "route_edges_out_of_step": 1,
        "export_entries_out_of_date": 1,
    }
    for name, count in expected.items():
        assert checks[name] == count, (name, report)
    for name in set(checks) - set(expected):
        assert checks[name] == 0, (name, report)
    assert report["findings"] == sum(expected.values())
    assert report["samples"]["live_teams_without_admin"] == [team_a]
    assert report["samples"]["active_goals_past_end_date"] == [goal_b]
    assert report["samples"]["team_progress_drift"] == [goal_a]
    assert report["samples"]["route_edges_out_of_step"] == [goal_a]
    assert report["samples"]["export_entries_out_of_date"] == [str(stale)]
    # And the drift is still there: reported, not repaired
    drifted = conn.execute(
        "SELECT total_activities FROM user_stats WHERE user_id = %s", (admin_a.id,)
    ).fetchone()[0]
    assert drifted == 3 + 5
    assert check_data_quality.handler({}, None)["checks"]["user_stats_drift"] == 1


def test_findings_are_published_in_total_and_per_check(own_database, monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    metrics.clear_metrics()  # other tests ran with metrics disabled: nothing was flushed
    check_data_quality.handler({}, None)
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"_aws"' in x]
    metric = [m for m in lines if "DataQualityFindings" in m]
    total = [m for m in metric if "Check" not in m]
    per_check = {m["Check"]: m for m in metric if "Check" in m}
    assert len(total) == 1 and total[0]["DataQualityFindings"] == [0.0]
    assert set(per_check) == set(_clean_counts())
    directive = per_check["live_teams_without_admin"]["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "MileQuest"
    assert directive["Metrics"] == [{"Name": "DataQualityFindings", "Unit": "Count"}]
    assert ["service", "Check"] in directive["Dimensions"]
