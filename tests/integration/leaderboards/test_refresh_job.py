"""The board refresh job: a JSON report, the refresh time recorded as `asOf`, and it works
with the application role's rights (DML + EXECUTE), which cannot refresh a view directly."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import psycopg
import pytest
from psycopg import sql

from functions.deploy.apply_migrations import ensure_app_role
from functions.jobs import refresh_leaderboards
from tests.integration.leaderboards.conftest import add_walk, ago
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
    for board, at in report["refreshed"].items():
        assert datetime.fromisoformat(at) == datetime.fromisoformat(as_of[board])
    assert call("GET", "/leaderboards/global").data["entries"][0]["distance"] == 1200.0


def test_schedules_are_five_minutes_in_the_cloud_and_one_locally():
    assert refresh_leaderboards.SCHEDULE == "rate(5 minutes)"
    assert refresh_leaderboards.LOCAL_SCHEDULE == "rate(1 minute)"


def test_the_application_role_refreshes_through_the_owner_rights_function(own_db):
    role = f"mq_app_{uuid.uuid4().hex[:8]}"
    ensure_app_role(own_db, role)
    url = own_db.info.dsn
    try:
        with psycopg.connect(url, user=role, autocommit=True) as app:
            assert app.execute("SELECT refresh_leaderboard('teams')").fetchone()[0]
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY leaderboard_global")
            with pytest.raises(psycopg.errors.InvalidParameterValue):
                app.execute("SELECT refresh_leaderboard('users')")
    finally:
        own_db.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        own_db.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
