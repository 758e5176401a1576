"""The index-analysis job finds one of each planted problem: an unused index, a duplicate and
an overlapping index, a foreign key without an index, a big table read by sequential scans and
a bloated index."""

from __future__ import annotations

from functions.jobs import analyze_indexes


def _plant(conn) -> None:
    conn.execute("CREATE TABLE ops_parent (id bigint PRIMARY KEY)")
    conn.execute(
        """CREATE TABLE ops_child (
               id bigint PRIMARY KEY,
               parent_id bigint REFERENCES ops_parent (id) ON DELETE CASCADE,
               a int, b int, note text)"""
    )
    conn.execute("INSERT INTO ops_parent SELECT g FROM generate_series(1, 10) g")
    conn.execute(
        "INSERT INTO ops_child SELECT g, 1 + g % 10, g % 97, g % 13, md5(g::text) "
        "FROM generate_series(1, 20000) g"
    )
    conn.execute("CREATE INDEX ops_child_note ON ops_child (note)")  # never used
    conn.execute("CREATE INDEX ops_child_a ON ops_child (a)")
    conn.execute("CREATE INDEX ops_child_a_again ON ops_child (a)")  # exact duplicate
    conn.execute("CREATE INDEX ops_child_a_b ON ops_child (a, b)")  # ops_child_a is its prefix
    conn.execute("CREATE INDEX ops_child_bloat ON ops_child (b, id)")
    conn.execute("DELETE FROM ops_child WHERE id % 10 <> 0")  # the index keeps its pages
    conn.execute("VACUUM ANALYZE ops_child")
    for _ in range(5):
        conn.execute("SELECT count(*) FROM ops_child WHERE note LIKE '%%ab%%'")
    conn.execute("SELECT pg_stat_force_next_flush()")


def test_each_planted_problem_is_found(own_database, conn) -> None:
    _plant(conn)
    report = analyze_indexes.handler(
        {"seqScanMinRows": 1000, "seqScanMinScans": 3, "bloatMinPages": 10}, None
    )

    unused = {f["index"] for f in report["unused"]}
    assert {"ops_child_note", "ops_child_bloat"} <= unused
    assert "ops_child_pkey" not in unused  # enforces a rule, never "unused"
    overlaps = {(f["index"], f["covered_by"], f["kind"]) for f in report["overlapping"]}
    assert ("ops_child_a_again", "ops_child_a", "duplicate") in overlaps
    assert ("ops_child_a", "ops_child_a_b", "prefix") in overlaps
    assert ("ops_child_a_b", "ops_child_a", "prefix") not in overlaps
    fks = {(f["table"], tuple(f["columns"])) for f in report["unindexedForeignKeys"]}
    assert ("ops_child", ("parent_id",)) in fks
    assert ("teams", ("created_by",)) not in fks  # teams_created_by leads with it
    seq = {f["table"]: f for f in report["seqScannedTables"]}
    assert seq["ops_child"]["seq_scans"] >= 5
    bloated = {f["index"]: f for f in report["bloated"]}
    assert bloated["ops_child_bloat"]["bloat_percent"] >= 50
    assert bloated["ops_child_bloat"]["bloat_bytes"] > 0
    assert report["counts"] == {
        kind: len(report[kind])
        for kind in ("unused", "overlapping", "unindexedForeignKeys", "seqScannedTables", "bloated")
    }
    assert report["findings"] == sum(report["counts"].values())


def test_thresholds_keep_small_tables_out(own_database, conn) -> None:
    _plant(conn)
    report = analyze_indexes.handler({}, None)  # defaults: 10 000 live rows, 100 scans
    assert "ops_child" not in {f["table"] for f in report["seqScannedTables"]}
    assert report["thresholds"]["seqScanMinRows"] == 10_000
