"""The board refresh job: a JSON report, the refresh time recorded as `asOf`, the
recommendations' team pace refreshed with the boards, and it works with the application role's
rights (DML + EXECUTE), which cannot refresh a view directly."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from decimal import Decimal

import psycopg
import pytest
from psycopg import sql

from functions.deploy.apply_migrations import ensure_app_role
from functions.jobs import refresh_leaderboards
from tests.integration.leaderboards.conftest import add_walk, ago, backdate_memberships
from tests.integration.teams.helpers import create_team
from tests.support.api import call


def test_job_reports_its_refresh_times_which_the_boards_answer_as_as_of(own_db, own_user):
    add_walk(own_db, own_user("Alice"), 1200, ago(minutes=1))

    report = refresh_leaderboards.handler({}, None)

    json.dumps(report)  # the job's answer is plain JSON
    assert report["durationMs"] >= 0
    as_of = {
        "global": call("GET", "/leaderboards/global").data["asOf"],
        "teams": call("GET", "/leaderboards/teams").data["asOf"],
    }
    assert set(report["refreshed"]) == {"global", "teams", "pace"}
    for board, at in as_of.items():
        assert datetime.fromisoformat(report["refreshed"][board]) == datetime.fromisoformat(at)
    assert call("GET", "/leaderboards/global").data["entries"][0]["distance"] == 1200.0


def test_job_refreshes_the_team_pace_that_recommendations_read(own_db, own_user):
    walker = own_user("Walker")
    team = create_team(walker, public=True)
    backdate_memberships(own_db, team["id"])
    add_walk(own_db, walker, 12_000, ago(days=2))
    add_walk(own_db, walker, 4_000, ago(days=40))  # before the 4 weeks
    assert own_db.execute("SELECT count(*) FROM team_pace").fetchone()[0] == 0

    report = refresh_leaderboards.handler({}, None)

    # 12 km over 4 weeks by its one active member
    rows = own_db.execute("SELECT team_id::text, weekly FROM team_pace").fetchall()
    assert rows == [(team["id"], Decimal(3000))]
    recorded = own_db.execute(
        "SELECT refreshed_at FROM leaderboard_refreshes WHERE board = 'pace'"
    ).fetchone()[0]
    assert datetime.fromisoformat(report["refreshed"]["pace"]) == recorded


def test_schedules_are_five_minutes_in_the_cloud_and_one_locally():
    assert refresh_leaderboards.SCHEDULE == "rate(5 minutes)"
    assert refresh_leaderboards.LOCAL_SCHEDULE == "rate(1 minute)"


def test_the_application_role_refreshes_through_the_owner_rights_function(own_db):
    role = f"mq_app_{uuid.uuid4().hex[:8]}"
    ensure_app_role(own_db, role)
    url = own_db.info.dsn
    try:
        with psycopg.connect(url, user=role, autocommit=True) as app:
            for view in ("global", "teams", "pace"):
                assert app.execute("SELECT refresh_leaderboard(%s)", (view,)).fetchone()[0]
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY leaderboard_global")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY team_pace")
            with pytest.raises(psycopg.errors.InvalidParameterValue):
                app.execute("SELECT refresh_leaderboard('users')")
    finally:
        own_db.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        own_db.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
