"""Scheduled job: daily index analysis (unused, duplicate/overlapping, unindexed foreign keys,
sequentially scanned tables, bloat estimates), logged as a report and published as
IndexFindings (total, and per finding kind with dimension Kind=<kind>).

Thresholds may be overridden by the event (camelCase names of `Thresholds`' fields), e.g.
`{"seqScanMinRows": 1000}` for a manual run against a small database."""

from __future__ import annotations

from typing import Any

from functions.jobs._publish import publish_counts
from milequest.db import connection as db
from milequest.domain.index_analysis import Thresholds, analyze
from milequest.observability import logger

SCHEDULE = "cron(15 3 * * ? *)"
METRIC = "IndexFindings"

_EVENT_FIELDS = {
    "seqScanMinRows": ("seq_scan_min_rows", int),
    "seqScanMinScans": ("seq_scan_min_scans", int),
    "bloatMinPages": ("bloat_min_pages", int),
    "bloatMinPercent": ("bloat_min_percent", float),
}


def thresholds_from(event: dict[str, Any]) -> Thresholds:
    overrides = {
        attr: cast(event[key]) for key, (attr, cast) in _EVENT_FIELDS.items() if key in event
    }
    return Thresholds(**overrides)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    thresholds = thresholds_from(event or {})
    with db.connection() as conn:
        result = analyze(conn, thresholds)
    publish_counts(METRIC, "Kind", result.counts)
    report = {
        "findings": result.total,
        "counts": result.counts,
        "statsSince": result.stats_since,
        "thresholds": {key: getattr(thresholds, attr) for key, (attr, _) in _EVENT_FIELDS.items()},
        **result.findings,
    }
    logger.info("index analysis", extra=report)
    return report
