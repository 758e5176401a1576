"""Analytics and the public boards read from the replica when one is configured, else the
primary; a replica that is unreachable or lagging falls back to the primary without an error;
writes (and the boards' refresh) never go there.

The replica is a second local database, a copy of the primary taken at one moment (so what it
answers is visibly "behind"), reached through a role whose transactions are read-only."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from functions.jobs import refresh_leaderboards
from milequest.config import get_settings
from milequest.db import read_connection
from milequest.domain.identity import resolve_user
from tests.conftest import ADMIN_URL, _drop, _url_for
from tests.integration.conftest import use_database
from tests.support.api import TestUser, call, new_user


@dataclass
class Replica:
    primary_url: str
    replica_url: str
    team_id: uuid.UUID
    member: TestUser


def _user(conn: psycopg.Connection, name: str) -> TestUser:
    u = new_user(name)
    u.id = resolve_user(conn, u.sub, u.email, u.name, True)
    return u


def _use_replica(url: str | None) -> None:
    if url is None:
        os.environ.pop("DATABASE_READ_URL", None)
    else:
        os.environ["DATABASE_READ_URL"] = url
    get_settings.cache_clear()
    read_connection.reset()


@pytest.fixture
def replica(new_migrated_database, database_url) -> Iterator[Replica]:
    primary_url = new_migrated_database()
    with psycopg.connect(primary_url, autocommit=True) as conn:
        member = _user(conn, "Replica Member")
        team_id = conn.execute(
            "INSERT INTO teams (name, invite_code) VALUES (%s, %s) RETURNING id",
            (f"Replica {uuid.uuid4().hex[:8]}", uuid.uuid4().hex),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO team_members (team_id, user_id, role, joined_at)"
            " VALUES (%s, %s, 'ADMIN', now() - interval '30 days')",
            (team_id, member.id),
        )
        conn.execute(
            "INSERT INTO activities (user_id, distance, duration, activity_at)"
            " VALUES (%s, 1000, 600, now() - interval '1 hour')",
            (member.id,),
        )
        for board in ("global", "teams"):  # the replica's copy of the boards has the walk
            conn.execute("SELECT refresh_leaderboard(%s)", (board,))
    name, role = f"mq_replica_{uuid.uuid4().hex[:12]}", f"mq_reader_{uuid.uuid4().hex[:12]}"
    primary_name = primary_url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        # A template must have no sessions (a closed client's backend may still be exiting).
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (primary_name,),
        )
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary_name}"')
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
        admin.execute(f'ALTER ROLE "{role}" SET default_transaction_read_only = on')
    with psycopg.connect(_url_for(name), autocommit=True) as conn:
        conn.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
    base = ADMIN_URL.split("://", 1)[1].split("@", 1)[-1].rsplit("/", 1)[0]
    replica_url = f"postgresql://{role}@{base}/{name}"
    use_database(primary_url)
    _use_replica(replica_url)
    try:
        yield Replica(primary_url, replica_url, team_id, member)
    finally:
        _use_replica(None)
        use_database(database_url)
        _drop(name)
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def _this_week(r: Replica) -> float:
    res = call("GET", f"/teams/{r.team_id}/analytics", user=r.member, query={"weeks": 1})
    assert res.status == 200, res.body
    return float(res.data["weekly"][-1]["distance"])


def _walk(r: Replica) -> None:
    at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    res = call(
        "POST",
        "/activities",
        user=r.member,
        json_body={"distance": 2000, "duration": 1200, "timestamp": at},
    )
    assert res.status == 201, res.body


def _count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM activities").fetchone()[0]


def test_analytics_read_the_replica_and_writes_stay_on_the_primary(replica: Replica) -> None:
    # When the member logs a walk (a write: the primary)
    _walk(replica)
    # Then analytics, read from the replica copy, do not have it yet
    assert _this_week(replica) == 1000.0
    # and the walk is on the primary only
    assert (_count(replica.primary_url), _count(replica.replica_url)) == (2, 1)
    # The replica role could not have taken it anyway
    with (
        psycopg.connect(replica.replica_url) as conn,
        pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
    ):
        conn.execute("UPDATE users SET name = 'x'")


def test_unreachable_replica_falls_back_to_the_primary(replica: Replica) -> None:
    _walk(replica)
    _use_replica("postgresql://nobody@127.0.0.1:1/nowhere?connect_timeout=1")
    assert _this_week(replica) == 3000.0  # the primary's figures, no error


def test_lagging_replica_falls_back_to_the_primary(replica: Replica, monkeypatch) -> None:
    _walk(replica)
    monkeypatch.setattr(read_connection, "_lag_seconds", lambda conn: 3600.0)
    assert _this_week(replica) == 3000.0


def test_a_dropped_replica_connection_is_replaced(replica: Replica) -> None:
    _walk(replica)
    assert _this_week(replica) == 1000.0  # leaves an idle replica connection behind
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (replica.replica_url.rsplit("/", 1)[1],),
        )
    assert _this_week(replica) == 1000.0  # still the replica, on a new connection


def test_without_a_replica_analytics_read_the_primary(replica: Replica) -> None:
    _walk(replica)
    _use_replica(None)
    assert _this_week(replica) == 3000.0


def _on_global_board(r: Replica) -> tuple[float, datetime]:
    res = call("GET", "/leaderboards/global", query={"period": "all"})
    assert res.status == 200, res.body
    mine = [e["distance"] for e in res.data["entries"] if e["userId"] == str(r.member.id)]
    return float(mine[0]), datetime.fromisoformat(res.data["asOf"])


def test_public_boards_read_the_replica_and_their_refresh_runs_on_the_primary(
    replica: Replica,
) -> None:
    _walk(replica)
    before = _on_global_board(replica)
    # The refresh job works with a replica configured: it refreshes the primary's views
    report = refresh_leaderboards.handler({}, None)
    # while the board, read from the replica's copy, still answers the copy's walk and time
    assert _on_global_board(replica) == before
    assert before[0] == 1000.0
    # and the primary's board has both walks, refreshed at the job's time
    _use_replica(None)
    refreshed = datetime.fromisoformat(report["refreshed"]["global"])
    assert _on_global_board(replica) == (3000.0, refreshed)


def test_public_boards_fall_back_to_the_primary_when_the_replica_is_unreachable(
    replica: Replica,
) -> None:
    _walk(replica)
    refresh_leaderboards.handler({}, None)
    _use_replica("postgresql://nobody@127.0.0.1:1/nowhere?connect_timeout=1")
    assert _on_global_board(replica)[0] == 3000.0
    res = call("GET", "/leaderboards/teams", query={"period": "all"})
    assert res.status == 200, res.body
