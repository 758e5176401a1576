"""The monitoring job: connections, sizes and growth between runs, rollbacks as a delta, cache
hit ratio, pg_stat_statements reported as unavailable when the server does not load it, and
allocated storage from RDS (stubbed) or configuration."""

from __future__ import annotations

import json

import boto3
import psycopg
import pytest
from botocore.stub import Stubber

from functions.jobs import monitor_database
from milequest.observability import metrics


def _rollback(url: str, times: int) -> None:
    """`times` rolled-back transactions, counted in pg_stat_database before this returns: a
    backend sends its counts at most once a second, or at exit, which a closed connection
    does not wait for; forced, it sends them when it next goes idle, before it answers."""
    with psycopg.connect(url) as c:
        for _ in range(times):
            c.execute("SELECT 1")
            c.rollback()
        c.execute("SELECT pg_stat_force_next_flush()")
        c.commit()


def test_first_and_second_run_report_growth_and_rollback_deltas(own_database, conn) -> None:
    first = monitor_database.handler({}, None)
    json.dumps(first)
    assert first["previousRunAt"] is None
    tables = {t["table"]: t for t in first["tables"]}
    assert tables["public.activities"]["growthBytes"] is None  # nothing to compare with yet
    assert first["connections"]["total"] >= 1
    assert first["connections"]["maxConnections"] > 0
    assert 0 < first["metrics"]["DatabaseConnectionsUsedPercent"] <= 100
    assert 0 <= first["bufferCacheHitRatio"] <= 100
    assert first["databaseSizeBytes"] > 0

    # Given rows written and three rolled-back transactions since the first run
    conn.execute(
        "INSERT INTO users (cognito_id, email, name) "
        "SELECT 'c' || g, 'u' || g || '@example.com', 'U' FROM generate_series(1, 3000) g"
    )
    _rollback(own_database, 3)
    conn.execute("SELECT pg_stat_force_next_flush()")
    second = monitor_database.handler({}, None)

    assert second["previousRunAt"] is not None
    users = {t["table"]: t for t in second["tables"]}["public.users"]
    assert users["growthBytes"] > 0
    assert second["rollbacks"] >= 3
    assert second["metrics"]["DatabaseRollbacks"] == second["rollbacks"]
    busiest = second["mostActiveTables"][0]
    assert busiest["table"] == "public.users" and busiest["rowsWritten"] >= 3000
    # A run right after sees (almost) no new rollbacks: it is a delta, not the total
    assert monitor_database.handler({}, None)["rollbacks"] < second["rollbacks"]


def test_statements_unavailable_is_reported_not_fatal(own_database, conn) -> None:
    preloaded = conn.execute("SHOW shared_preload_libraries").fetchone()[0]
    if "pg_stat_statements" in preloaded:
        pytest.skip("this server preloads pg_stat_statements")
    report = monitor_database.handler({}, None)
    assert report["statements"]["available"] is False
    assert "pg_stat_statements" in report["statements"]["reason"]
    # Installed but not preloaded: still a report, with the server's reason
    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    report = monitor_database.handler({}, None)
    assert report["statements"]["available"] is False
    assert "shared_preload_libraries" in report["statements"]["reason"]


def test_allocated_storage_from_rds_describe(own_database, monkeypatch) -> None:
    monkeypatch.setenv("DB_INSTANCE_IDENTIFIER", "milequest-dev")
    monkeypatch.delenv("DB_ALLOCATED_STORAGE_GB", raising=False)
    client = boto3.client("rds", region_name="eu-west-1")
    stubber = Stubber(client)
    stubber.add_response(
        "describe_db_instances",
        {"DBInstances": [{"DBInstanceIdentifier": "milequest-dev", "AllocatedStorage": 20}]},
        {"DBInstanceIdentifier": "milequest-dev"},
    )
    monkeypatch.setattr(boto3, "client", lambda *a, **k: client)
    with stubber:
        report = monitor_database.handler({}, None)
    stubber.assert_no_pending_responses()
    assert report["allocatedStorage"] == {"bytes": 20 * 1024**3, "source": "rds:milequest-dev"}
    assert report["metrics"]["DatabaseAllocatedStorageBytes"] == 20 * 1024**3
    assert 0 < report["storageUsedPercent"] < 100


def test_allocated_storage_from_config_or_omitted(own_database, monkeypatch) -> None:
    monkeypatch.delenv("DB_INSTANCE_IDENTIFIER", raising=False)
    monkeypatch.setenv("DB_ALLOCATED_STORAGE_GB", "50")
    report = monitor_database.handler({}, None)
    assert report["metrics"]["DatabaseAllocatedStorageBytes"] == 50 * 1024**3
    monkeypatch.delenv("DB_ALLOCATED_STORAGE_GB")
    report = monitor_database.handler({}, None)
    assert "DatabaseAllocatedStorageBytes" not in report["metrics"]
    assert report["allocatedStorage"]["source"] == "unknown"


def test_metrics_are_published_with_their_units(own_database, monkeypatch, capsys) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    monkeypatch.setenv("DB_ALLOCATED_STORAGE_GB", "20")
    metrics.clear_metrics()
    monitor_database.handler({}, None)
    (emf,) = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"_aws"' in x]
    directive = emf["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "MileQuest"
    assert {m["Name"]: m["Unit"] for m in directive["Metrics"]} == {
        "DatabaseConnectionsUsedPercent": "Percent",
        "BufferCacheHitRatio": "Percent",
        "DatabaseRollbacks": "Count",
        "DatabaseSizeBytes": "Bytes",
        "DatabaseAllocatedStorageBytes": "Bytes",
    }
