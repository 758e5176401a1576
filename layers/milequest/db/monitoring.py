"""Read-only statistics queries for the monitoring job (pg_stat_* views and size functions).

Every query is scoped to the current database where the view allows it; counters are
cumulative since the last statistics reset, so the domain turns them into per-run deltas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import Connection

from milequest.db.rows import fetch_all, fetch_dicts, fetch_one, fetch_value


@dataclass(frozen=True, slots=True)
class Connections:
    total: int
    active: int
    idle: int
    idle_in_transaction: int
    unknown: int
    max_connections: int


@dataclass(frozen=True, slots=True)
class Counters:
    xact_commit: int
    xact_rollback: int
    blks_hit: int
    blks_read: int
    size_bytes: int


@dataclass(frozen=True, slots=True)
class TableStats:
    name: str
    table_bytes: int
    index_bytes: int
    total_bytes: int
    live_rows: int
    dead_rows: int
    seq_scans: int
    index_scans: int
    rows_read: int
    rows_written: int


# Statement text is truncated: reports go to logs, and full text may be long.
QUERY_TEXT_CHARS = 300

_STATEMENTS = """
SELECT queryid::text AS query_id, left(query, %(chars)s) AS query, calls,
       round(mean_exec_time::numeric, 3)::float AS mean_ms,
       round((mean_exec_time + 2 * stddev_exec_time)::numeric, 3)::float AS p95ish_ms,
       round(max_exec_time::numeric, 3)::float AS max_ms,
       round(total_exec_time::numeric, 3)::float AS total_ms, rows
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY {order} DESC
LIMIT %(limit)s
"""


def statements_extension_installed(conn: Connection[Any]) -> bool:
    return bool(
        fetch_value(
            conn,
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = %s)",
            ("pg_stat_statements",),
        )
    )


def statements(conn: Connection[Any], order: str, limit: int) -> list[dict[str, Any]]:
    """Top statements by `mean` time or by `calls`. Raises psycopg.Error when the server does
    not preload the library (the extension can exist without it)."""
    column = {"mean": "mean_exec_time", "calls": "calls"}[order]
    return fetch_dicts(
        conn, _STATEMENTS.format(order=column), {"chars": QUERY_TEXT_CHARS, "limit": limit}
    )


def connections(conn: Connection[Any]) -> Connections:
    """Client connections of the whole server (max_connections is a server-wide limit).
    `state` is NULL for other roles' sessions unless we hold pg_read_all_stats: `unknown`."""
    row = fetch_one(
        conn,
        Connections,
        """SELECT count(*) AS total,
                  count(*) FILTER (WHERE state = 'active') AS active,
                  count(*) FILTER (WHERE state = 'idle') AS idle,
                  count(*) FILTER (WHERE state LIKE 'idle in transaction%%') AS idle_in_transaction,
                  count(*) FILTER (WHERE state IS NULL) AS unknown,
                  current_setting('max_connections')::int AS max_connections
           FROM pg_stat_activity WHERE backend_type = 'client backend'""",
    )
    assert row is not None
    return row


def database_counters(conn: Connection[Any]) -> Counters:
    row = fetch_one(
        conn,
        Counters,
        """SELECT xact_commit, xact_rollback, blks_hit, blks_read,
                  pg_database_size(datname) AS size_bytes
           FROM pg_stat_database WHERE datname = current_database()""",
    )
    assert row is not None
    return row


def tables(conn: Connection[Any]) -> list[TableStats]:
    """Every user table: sizes, cumulative reads/writes and scans."""
    return fetch_all(
        conn,
        TableStats,
        """SELECT schemaname || '.' || relname AS name,
                  pg_table_size(relid) AS table_bytes,
                  pg_indexes_size(relid) AS index_bytes,
                  pg_total_relation_size(relid) AS total_bytes,
                  n_live_tup AS live_rows, n_dead_tup AS dead_rows,
                  coalesce(seq_scan, 0) AS seq_scans, coalesce(idx_scan, 0) AS index_scans,
                  coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS rows_read,
                  n_tup_ins + n_tup_upd + n_tup_del AS rows_written
           FROM pg_stat_user_tables ORDER BY total_bytes DESC, name""",
    )


def largest_indexes(conn: Connection[Any], limit: int) -> list[dict[str, Any]]:
    return fetch_dicts(
        conn,
        """SELECT schemaname || '.' || indexrelname AS name,
                  schemaname || '.' || relname AS table_name,
                  pg_relation_size(indexrelid) AS bytes, idx_scan AS scans
           FROM pg_stat_user_indexes ORDER BY bytes DESC, name LIMIT %s""",
        (limit,),
    )
