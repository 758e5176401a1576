"""Data-quality audit: orphaned rows, invariants the database cannot enforce, and the accuracy
of the maintained aggregates. It only reads: drift is reported, never repaired (repairing is
the reconciliation job's decision, and an audit that changes what it audits proves nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import Connection

from milequest.db import data_quality as checks_db
from milequest.domain.reconciliation import reconcile


@dataclass
class Audit:
    findings: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[str]] = field(default_factory=dict)
    users_checked: int = 0
    goals_checked: int = 0

    @property
    def total(self) -> int:
        return sum(self.findings.values())


def audit(conn: Connection[Any]) -> Audit:
    result = Audit()
    for name in checks_db.CHECKS:
        found = checks_db.run_check(conn, name)
        result.findings[name] = found.count
        if found.count:
            result.samples[name] = found.sample
    drift = reconcile(conn, repair=False)
    result.users_checked, result.goals_checked = drift.users_checked, drift.goals_checked
    # With repair=False the "repaired" lists are the rows that drifted.
    drifted = {
        "user_stats_drift": drift.users_repaired,
        "user_daily_totals_drift": drift.days_repaired,
        "team_progress_drift": drift.goals_repaired,
    }
    for name, ids in drifted.items():
        result.findings[name] = len(ids)
        if ids:
            result.samples[name] = sorted(str(i) for i in ids)[: checks_db.SAMPLE_SIZE]
    return result
