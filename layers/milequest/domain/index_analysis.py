"""Index analysis: what to drop (unused, duplicate or overlapping indexes), what to add (foreign
keys without an index, big tables read by sequential scans) and what to rebuild (bloated
indexes). Findings are advice for a person; nothing here changes the schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import Connection

from milequest.db import index_analysis as catalog


@dataclass(frozen=True)
class Thresholds:
    seq_scan_min_rows: int = 10_000
    seq_scan_min_scans: int = 100
    bloat_min_pages: int = 128  # 1 MiB at 8 KiB pages: smaller indexes are cheap to keep
    bloat_min_percent: float = 50.0


@dataclass
class Analysis:
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stats_since: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        return {kind: len(rows) for kind, rows in self.findings.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def analyze(conn: Connection[Any], thresholds: Thresholds | None = None) -> Analysis:
    t = thresholds or Thresholds()
    reset = catalog.stats_reset(conn)
    return Analysis(
        findings={
            "unused": catalog.unused_indexes(conn),
            "overlapping": catalog.overlapping_indexes(conn),
            "unindexedForeignKeys": catalog.unindexed_foreign_keys(conn),
            "seqScannedTables": catalog.seq_scanned_tables(
                conn, t.seq_scan_min_rows, t.seq_scan_min_scans
            ),
            "bloated": catalog.bloated_indexes(conn, t.bloat_min_pages, t.bloat_min_percent),
        },
        stats_since=reset.isoformat() if reset is not None else None,
    )
