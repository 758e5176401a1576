"""Catalog queries for the index-analysis job (public schema only).

Counters in pg_stat_user_* are cumulative since the last statistics reset, so "unused" means
"not scanned since `stats_reset`", which the report shows next to the findings.
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection

from milequest.db.rows import fetch_dicts, fetch_value


def stats_reset(conn: Connection[Any]) -> Any:
    return fetch_value(
        conn, "SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()"
    )


def unused_indexes(conn: Connection[Any]) -> list[dict[str, Any]]:
    """Never scanned, and not enforcing anything (unique, primary key, exclusion)."""
    return fetch_dicts(
        conn,
        """SELECT s.indexrelname AS index, s.relname AS table,
                  pg_relation_size(s.indexrelid) AS bytes
           FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
           WHERE s.schemaname = 'public' AND s.idx_scan = 0
             AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = s.indexrelid)
           ORDER BY bytes DESC, index""",
    )


# `a` is redundant next to `b` on the same table, access method, predicate and expressions
# when a's key columns equal b's or (btree only) are a leading prefix of them. A unique index
# enforces a rule and is never the redundant one unless its twin is unique too; of two exact
# twins, the one created later (higher oid) is reported.
_OVERLAPS = """
SELECT ca.relname AS index, cb.relname AS covered_by, t.relname AS table,
       CASE WHEN a.indkey::text = b.indkey::text THEN 'duplicate' ELSE 'prefix' END AS kind,
       pg_relation_size(a.indexrelid) AS bytes
FROM pg_index a
JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
JOIN pg_class ca ON ca.oid = a.indexrelid
JOIN pg_class cb ON cb.oid = b.indexrelid
JOIN pg_class t ON t.oid = a.indrelid
JOIN pg_am am ON am.oid = ca.relam
WHERE t.relnamespace = 'public'::regnamespace
  AND ca.relam = cb.relam
  AND pg_get_expr(a.indpred, a.indrelid) IS NOT DISTINCT FROM pg_get_expr(b.indpred, b.indrelid)
  AND pg_get_expr(a.indexprs, a.indrelid) IS NOT DISTINCT FROM
      pg_get_expr(b.indexprs, b.indrelid)
  AND (a.indkey::text = b.indkey::text
       OR (am.amname = 'btree' AND (b.indkey::text || ' ') LIKE (a.indkey::text || ' %%')))
  AND ((NOT a.indisunique
        AND (a.indkey::text <> b.indkey::text OR b.indisunique OR a.indexrelid > b.indexrelid))
       OR (a.indisunique AND b.indisunique AND a.indkey::text = b.indkey::text
           AND a.indexrelid > b.indexrelid))
ORDER BY t.relname, ca.relname, cb.relname
"""


def overlapping_indexes(conn: Connection[Any]) -> list[dict[str, Any]]:
    return fetch_dicts(conn, _OVERLAPS)


def unindexed_foreign_keys(conn: Connection[Any]) -> list[dict[str, Any]]:
    """Foreign keys whose columns lead no full (non-partial) index: deleting or re-keying a
    referenced row scans the whole referencing table. A partial index does not help there."""
    return fetch_dicts(
        conn,
        """SELECT t.relname AS table, c.conname AS constraint, c.confrelid::regclass::text AS refs,
                  (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(c.conkey)
                     WITH ORDINALITY AS k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
                  AS columns
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
           WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
             AND NOT EXISTS (
                 SELECT 1 FROM pg_index i
                 WHERE i.indrelid = c.conrelid AND i.indpred IS NULL
                   AND (SELECT array_agg(k ORDER BY k) FROM unnest(
                          (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)])
                          AS k)
                       = (SELECT array_agg(k ORDER BY k) FROM unnest(c.conkey) AS k))
           ORDER BY t.relname, c.conname""",
    )


def seq_scanned_tables(
    conn: Connection[Any], min_rows: int, min_scans: int
) -> list[dict[str, Any]]:
    """Tables big enough that a sequential scan costs, scanned that way more than by index."""
    return fetch_dicts(
        conn,
        """SELECT relname AS table, seq_scan AS seq_scans, coalesce(idx_scan, 0) AS index_scans,
                  seq_tup_read AS rows_read, n_live_tup AS live_rows
           FROM pg_stat_user_tables
           WHERE schemaname = 'public' AND n_live_tup >= %s AND seq_scan >= %s
             AND seq_scan > coalesce(idx_scan, 0)
           ORDER BY seq_tup_read DESC, relname""",
        (min_rows, min_scans),
    )


# Estimate for plain-column btree indexes: the pages the live tuples need (average key width
# from pg_stats, plus the 8-byte index tuple header and 4-byte line pointer, at the default
# 90 % fill of the usable page) against the pages the index has. Needs ANALYZE to be current;
# indexes whose columns have no statistics are left out rather than guessed.
_BLOAT = """
WITH idx AS (
    SELECT ci.relname AS index, ct.relname AS table, ci.relpages, ci.reltuples,
           current_setting('block_size')::int AS block_size,
           (SELECT sum(s.avg_width) FROM unnest(i.indkey) AS k(attnum)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              JOIN pg_stats s ON s.schemaname = 'public' AND s.tablename = ct.relname
                             AND s.attname = a.attname) AS key_width,
           (SELECT count(*) FROM unnest(i.indkey) AS k(attnum)) AS key_columns,
           (SELECT count(*) FROM unnest(i.indkey) AS k(attnum)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              JOIN pg_stats s ON s.schemaname = 'public' AND s.tablename = ct.relname
                             AND s.attname = a.attname) AS columns_with_stats
    FROM pg_index i
    JOIN pg_class ci ON ci.oid = i.indexrelid
    JOIN pg_class ct ON ct.oid = i.indrelid
    JOIN pg_am am ON am.oid = ci.relam
    WHERE ct.relnamespace = 'public'::regnamespace AND am.amname = 'btree'
      AND i.indexprs IS NULL AND ci.relpages >= %(min_pages)s
), est AS (
    SELECT *, greatest(1, ceil(reltuples * (key_width + 12)
                               / ((block_size - 40) * 0.9)))::bigint AS expected_pages
    FROM idx WHERE key_columns = columns_with_stats AND reltuples >= 0
)
SELECT index, "table", relpages AS pages, expected_pages,
       (relpages - expected_pages) * block_size AS bloat_bytes,
       round(100.0 * (relpages - expected_pages) / relpages, 1)::float AS bloat_percent
FROM est
WHERE 100.0 * (relpages - expected_pages) / relpages >= %(min_percent)s
ORDER BY bloat_bytes DESC, index
"""


def bloated_indexes(
    conn: Connection[Any], min_pages: int, min_percent: float
) -> list[dict[str, Any]]:
    return fetch_dicts(conn, _BLOAT, {"min_pages": min_pages, "min_percent": min_percent})
