"""The CloudWatch dashboard: the metrics the alarms watch, plus job findings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aws_cdk import aws_cloudwatch as cw
from constructs import Construct

from infra import metrics
from infra.config import EnvConfig

if TYPE_CHECKING:
    from infra.jobs import Jobs


def _graph(title: str, found: Sequence[cw.IMetric], width: int = 12) -> cw.GraphWidget:
    return cw.GraphWidget(title=title, left=list(found), width=width)


def build_dashboard(
    scope: Construct, config: EnvConfig, watched: dict[str, cw.IMetric], jobs: Jobs
) -> cw.Dashboard:
    def pick(*names: str) -> list[cw.IMetric]:
        return [watched[n] for n in names if n in watched]

    dashboard = cw.Dashboard(scope, "Dashboard", dashboard_name=f"milequest-{config.name}")
    dashboard.add_widgets(
        _graph("API 5xx %", pick("Api5xxRate")),
        _graph("API p99 latency (ms)", pick("ApiLatencyP99")),
    )
    dashboard.add_widgets(
        _graph("Lambda errors / throttles", pick("LambdaErrors", "LambdaThrottles")),
        _graph("Proxy pool use %", pick("ProxyPoolUse")),
    )
    dashboard.add_widgets(
        _graph("Proxy borrow latency (µs)", pick("ProxyBorrowLatency")),
        _graph("Query p99 (ms) / slow queries", pick("QueryDurationP99", "SlowQueries")),
    )
    dashboard.add_widgets(
        _graph("Disk used % of allocation", pick("DiskUse")),
        _graph("Allocated storage (bytes)", pick("StorageNearMax")),
    )
    dashboard.add_widgets(
        _graph(
            "Failed transactions: app / database rollbacks",
            pick("FailedTransactions", "DatabaseRollbacks"),
        ),
        _graph("Replica lag (s)", pick("ReplicaLag")),
    )
    database_health = [
        metrics.job_metric("DatabaseSizeBytes", "Maximum"),
        metrics.job_metric("DatabaseConnectionsUsedPercent", "Maximum"),
        metrics.job_metric("BufferCacheHitRatio", "Average"),
    ]
    dashboard.add_widgets(
        _graph("Database size / connections % / cache hit %", database_health),
        _graph(
            "Findings: data quality / indexes / reconciliation drift",
            [
                *pick("DataQualityFindings"),
                metrics.job_metric("IndexFindings", period=metrics.ONE_HOUR),
                *pick("ReconciliationDrift"),
            ],
        ),
    )
    dashboard.add_widgets(
        _graph(
            "Notifications sent / failed",
            [
                metrics.job_metric("NotificationDeliveriesSent"),
                *pick("NotificationDeliveriesFailed"),
            ],
        ),
        _graph(
            "Job errors / dead letters",
            pick(*[f"JobErrors-{n}" for n in jobs.functions], "JobDeadLetters"),
        ),
    )
    return dashboard
