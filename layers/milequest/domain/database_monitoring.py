"""Database health survey for the monitoring job: statement times, connections, sizes and
growth, cache hit ratio, activity and rollbacks.

Cumulative counters (rollbacks, block reads, table reads/writes) become deltas against the
previous run's snapshot, so each 5-minute metric describes those 5 minutes. A counter that went
down means the statistics were reset (or the server restarted): the current value is the delta.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import Connection

from milequest.db import monitoring as stats_db
from milequest.db import ops_snapshots

SNAPSHOT = "monitor_database"


@dataclass
class Survey:
    report: dict[str, Any]
    # Metric name -> value, published by the job (units are fixed per name there).
    metrics: dict[str, float] = field(default_factory=dict)


def _delta(current: int, previous: int | None) -> int:
    if previous is None:
        return current
    return current - previous if current >= previous else current


def _statements(conn: Connection[Any], top: int) -> dict[str, Any]:
    if not stats_db.statements_extension_installed(conn):
        return {"available": False, "reason": "extension pg_stat_statements is not installed"}
    try:
        slowest = stats_db.statements(conn, "mean", top)
        frequent = stats_db.statements(conn, "calls", top)
    except psycopg.Error as exc:  # installed but not in shared_preload_libraries
        return {"available": False, "reason": str(exc).strip().splitlines()[0]}
    return {"available": True, "slowest": slowest, "mostFrequent": frequent}


def _connections(conn: Connection[Any]) -> tuple[dict[str, Any], float]:
    row = stats_db.connections(conn)
    used = round(100.0 * row.total / row.max_connections, 2)
    return {
        "total": row.total,
        "active": row.active,
        "idle": row.idle,
        "idleInTransaction": row.idle_in_transaction,
        "unknownState": row.unknown,
        "maxConnections": row.max_connections,
        "usedPercent": used,
    }, used


def _hit_ratio(hit: int, read: int) -> float:
    return 100.0 if hit + read == 0 else round(100.0 * hit / (hit + read), 3)


def _tables(
    rows: list[stats_db.TableStats], before: dict[str, Any] | None, top: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    previous = (before or {}).get("tables", {})
    sized: list[dict[str, Any]] = []
    active: list[dict[str, Any]] = []
    for t in rows:
        was = previous.get(t.name)
        growth = None if was is None else t.total_bytes - was["total_bytes"]
        sized.append(
            {
                "table": t.name,
                "tableBytes": t.table_bytes,
                "indexBytes": t.index_bytes,
                "totalBytes": t.total_bytes,
                "growthBytes": growth,
                "liveRows": t.live_rows,
                "deadRows": t.dead_rows,
            }
        )
        reads = _delta(t.rows_read, None if was is None else was["rows_read"])
        writes = _delta(t.rows_written, None if was is None else was["rows_written"])
        active.append({"table": t.name, "rowsRead": reads, "rowsWritten": writes})
    active.sort(key=lambda a: (-(a["rowsRead"] + a["rowsWritten"]), a["table"]))
    return sized, active[:top]


def _snapshot(counters: stats_db.Counters, tables: list[stats_db.TableStats]) -> dict[str, Any]:
    # The next run's baseline: the cumulative counters it turns into deltas.
    c = counters
    return {
        "database": {
            "xact_rollback": c.xact_rollback,
            "blks_hit": c.blks_hit,
            "blks_read": c.blks_read,
        },
        "tables": {
            t.name: {
                "total_bytes": t.total_bytes,
                "rows_read": t.rows_read,
                "rows_written": t.rows_written,
            }
            for t in tables
        },
    }


def survey(conn: Connection[Any], *, top: int = 10) -> Survey:
    """One monitoring run; stores this run's counters for the next one."""
    previous = ops_snapshots.previous(conn, SNAPSHOT)
    before = previous.data if previous else None
    was_db = (before or {}).get("database", {})
    counters = stats_db.database_counters(conn)
    tables = stats_db.tables(conn)
    connections, used_percent = _connections(conn)
    rollbacks = _delta(counters.xact_rollback, was_db.get("xact_rollback"))
    hit = _delta(counters.blks_hit, was_db.get("blks_hit"))
    read = _delta(counters.blks_read, was_db.get("blks_read"))
    sized, active = _tables(tables, before, top)
    report: dict[str, Any] = {
        "previousRunAt": previous.taken_at.isoformat() if previous else None,
        "statements": _statements(conn, top),
        "connections": connections,
        "bufferCacheHitRatio": _hit_ratio(hit, read),
        "rollbacks": rollbacks,
        "databaseSizeBytes": counters.size_bytes,
        "tables": sized,
        "largestIndexes": stats_db.largest_indexes(conn, top),
        "mostActiveTables": active,
    }
    ops_snapshots.store(conn, SNAPSHOT, _snapshot(counters, tables))
    metrics = {
        "DatabaseConnectionsUsedPercent": used_percent,
        "BufferCacheHitRatio": report["bufferCacheHitRatio"],
        "DatabaseRollbacks": float(rollbacks),
        "DatabaseSizeBytes": float(counters.size_bytes),
    }
    return Survey(report=report, metrics=metrics)
