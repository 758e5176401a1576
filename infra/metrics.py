"""The metrics the alarms and the dashboard watch, each defined once.

App metrics are EMF from Powertools Metrics in namespace "MileQuest": route-level ones carry
the `service` dimension Powertools adds; the scheduled jobs publish theirs without dimensions.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw

from infra.database import Database

APP_NAMESPACE = "MileQuest"
APP_DIMENSIONS = {"service": "milequest"}  # Powertools Metrics(service="milequest")
FIVE_MIN = Duration.minutes(5)
ONE_HOUR = Duration.hours(1)
GIB = 1024**3


def app_metric(name: str, statistic: str = "Sum") -> cw.Metric:
    return cw.Metric(
        namespace=APP_NAMESPACE,
        metric_name=name,
        dimensions_map=APP_DIMENSIONS,
        statistic=statistic,
        period=FIVE_MIN,
    )


def job_metric(name: str, statistic: str = "Sum", period: Duration = FIVE_MIN) -> cw.Metric:
    return cw.Metric(namespace=APP_NAMESPACE, metric_name=name, statistic=statistic, period=period)


# RDS Proxy publishes its metrics once per underlying proxy host ("use CloudWatch statistics to
# aggregate the values for a proxy across all the associated instances"), so a proxy-wide number
# is the Sum over them; both Sums cover the same hosts and minutes, so their ratio is the use.
# DatabaseConnections and MaxDatabaseConnectionsAllowed are both published at dimension set 4
# (ProxyName, TargetGroup, TargetRole); the borrow latency (microseconds) at dimension set 1
# (ProxyName), most useful as Average.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.monitoring.html
def proxy_pool_use(database: Database) -> cw.MathExpression:
    dims = {
        "ProxyName": database.proxy.db_proxy_name,
        "TargetGroup": "default",
        "TargetRole": "READ_WRITE",
    }

    def proxy(name: str) -> cw.Metric:
        return cw.Metric(
            namespace="AWS/RDS",
            metric_name=name,
            dimensions_map=dims,
            statistic="Sum",
            period=FIVE_MIN,
        )

    return cw.MathExpression(
        expression="100 * used / allowed",
        using_metrics={
            "used": proxy("DatabaseConnections"),
            "allowed": proxy("MaxDatabaseConnectionsAllowed"),
        },
        label="Proxy pool use %",
        period=FIVE_MIN,
    )


def proxy_borrow_latency(database: Database) -> cw.Metric:
    return cw.Metric(
        namespace="AWS/RDS",
        metric_name="DatabaseConnectionsBorrowLatency",
        dimensions_map={"ProxyName": database.proxy.db_proxy_name},
        statistic="Average",
        period=FIVE_MIN,
    )


def allocated_storage() -> cw.Metric:
    """Current allocation (after storage autoscaling), from the monitor_database job."""
    return job_metric("DatabaseAllocatedStorageBytes", "Maximum")


def disk_used_percent(database: Database) -> cw.MathExpression:
    return cw.MathExpression(
        expression="100 * (1 - free / allocated)",
        using_metrics={
            "free": database.instance.metric_free_storage_space(
                statistic="Minimum", period=FIVE_MIN
            ),
            "allocated": allocated_storage(),
        },
        label="Disk used % of current allocation",
        period=FIVE_MIN,
    )


def replica_lag(database: Database) -> cw.Metric:
    assert database.replica is not None
    return database.replica.metric("ReplicaLag", statistic="Maximum", period=FIVE_MIN)
