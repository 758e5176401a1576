"""Restore drill: a pg_dump of a seeded database restored with pg_restore into a new database
is the same data; the data-quality job finds nothing on it and every aggregate matches."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from functions.jobs import check_data_quality
from tests.conftest import ADMIN_URL, _drop, _url_for
from tests.integration.conftest import use_database
from tests.integration.jobs.conftest import seed_world

# Every maintained aggregate and what identifies its row.
AGGREGATES = {
    "user_stats": "SELECT * FROM user_stats ORDER BY user_id",
    "team_progress": "SELECT * FROM team_progress ORDER BY goal_id",
    "team_goals": "SELECT id, status, final_stats, completed_at FROM team_goals ORDER BY id",
    "user_achievements": "SELECT * FROM user_achievements ORDER BY id",
    "notifications": "SELECT * FROM notifications ORDER BY id",
    "row_counts": """SELECT relname, n FROM (
        SELECT 'activities' AS relname, count(*) AS n FROM activities
        UNION ALL SELECT 'team_members', count(*) FROM team_members
        UNION ALL SELECT 'activity_comments', count(*) FROM activity_comments
        UNION ALL SELECT 'activity_reactions', count(*) FROM activity_reactions
        UNION ALL SELECT 'users', count(*) FROM users) c ORDER BY relname""",
}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def _major(version_text: str) -> int:
    # "pg_dump (PostgreSQL) 15.20 (Debian ...)" -> 15
    return int(version_text.split(")")[1].split()[0].split(".")[0])


def _snapshot(url: str) -> dict[str, list[tuple]]:
    with psycopg.connect(url) as c:
        return {name: c.execute(sql).fetchall() for name, sql in AGGREGATES.items()}


def _libpq_args(url: str) -> list[str]:
    p = conninfo_to_dict(url)
    return [
        "-h",
        str(p.get("host", "127.0.0.1")),
        "-p",
        str(p.get("port", 5432)),
        "-U",
        str(p.get("user", "postgres")),
    ]


def test_dump_restore_keeps_every_aggregate_and_passes_data_quality(
    own_database, database_url, tmp_path
) -> None:
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    with psycopg.connect(ADMIN_URL) as c:
        server_major = c.info.server_version // 10000
    dump_version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout
    # A pg_dump older than the server refuses to dump it; check it is the matching client.
    assert _major(dump_version) >= server_major, dump_version

    # Given a database seeded through the API
    world = seed_world(own_database)
    before = _snapshot(own_database)
    assert len(before["user_stats"]) == len(world.users)
    assert all(row[3] > 0 for row in before["user_stats"])  # total_activities
    # When it is dumped (custom format, as a manual snapshot export would be) and restored
    dump = tmp_path / "milequest.dump"
    source = conninfo_to_dict(own_database)["dbname"]
    subprocess.run(
        [pg_dump, *_libpq_args(own_database), "-Fc", "-f", str(dump), str(source)], check=True
    )
    restored_name = f"mq_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(ADMIN_URL, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{restored_name}"')
        restored = _url_for(restored_name)
        subprocess.run(
            [
                pg_restore,
                *_libpq_args(restored),
                "--exit-on-error",
                "--no-owner",
                "-d",
                restored_name,
                str(dump),
            ],
            check=True,
        )
        # Then every aggregate and count is the same
        assert _snapshot(restored) == before
        # And the data-quality job, pointed at the restored database, finds nothing
        use_database(restored)
        report = check_data_quality.handler({}, None)
        assert report["findings"] == 0, report
        assert report["usersChecked"] == len(world.users)
        assert report["goalsChecked"] == len(world.goal_ids)
    finally:
        use_database(database_url)
        _drop(restored_name)
