"""Alarms (all to one SNS topic, email subscribers from config) and a dashboard."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subs
from constructs import Construct

from infra.config import EnvConfig
from infra.database import Database

APP_NAMESPACE = "MileQuest"
APP_DIMENSIONS = {"service": "milequest"}  # Powertools Metrics(service="milequest")
FIVE_MIN = Duration.minutes(5)


def app_metric(name: str, statistic: str = "Sum") -> cw.Metric:
    return cw.Metric(
        namespace=APP_NAMESPACE,
        metric_name=name,
        dimensions_map=APP_DIMENSIONS,
        statistic=statistic,
        period=FIVE_MIN,
    )


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        config: EnvConfig,
        database: Database,
        http_api: apigw.HttpApi,
        stage_name: str = "$default",
    ) -> None:
        super().__init__(scope, cid)
        key = kms.Alias.from_alias_name(self, "SnsKey", "alias/aws/sns")
        self.topic = sns.Topic(
            self, "Alarms", display_name=f"MileQuest {config.name} alarms", master_key=key
        )
        for email in config.alarm_emails:
            self.topic.add_subscription(subs.EmailSubscription(email))
        action = cw_actions.SnsAction(self.topic)
        self.alarms: dict[str, cw.Alarm] = {}

        def alarm(
            name: str,
            metric: cw.IMetric,
            threshold: float,
            description: str,
            comparison: cw.ComparisonOperator = cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            periods: int = 1,
        ) -> cw.Alarm:
            created = cw.Alarm(
                self,
                name,
                alarm_name=f"milequest-{config.name}-{name}",
                alarm_description=description,
                metric=metric,
                threshold=threshold,
                evaluation_periods=periods,
                comparison_operator=comparison,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            )
            created.add_alarm_action(action)
            created.add_ok_action(action)
            self.alarms[name] = created
            return created

        # Slow queries: PostgreSQL logs every statement over log_min_duration_statement (1 s)
        # as "duration: N ms"; count those lines in the exported log group.
        logs.MetricFilter(
            self,
            "SlowQueryFilter",
            log_group=database.log_group,
            filter_pattern=logs.FilterPattern.literal('"duration:"'),
            metric_namespace=APP_NAMESPACE,
            metric_name="SlowQueries",
            metric_value="1",
            default_value=0,
        )
        slow_queries = cw.Metric(
            namespace=APP_NAMESPACE, metric_name="SlowQueries", statistic="Sum", period=FIVE_MIN
        )
        alarm("SlowQueries", slow_queries, 0, "PostgreSQL logged statements slower than 1 s")
        query_p99 = app_metric("QueryDuration", "p99")
        alarm("QueryDurationP99", query_p99, 1000, "p99 query time per request above 1 s")

        proxy_dims = {"ProxyName": database.proxy.db_proxy_name}
        pool_use = cw.MathExpression(
            expression="100 * used / allowed",
            using_metrics={
                "used": cw.Metric(
                    namespace="AWS/RDS",
                    metric_name="DatabaseConnections",
                    dimensions_map=proxy_dims,
                    statistic="Maximum",
                    period=FIVE_MIN,
                ),
                "allowed": cw.Metric(
                    namespace="AWS/RDS",
                    metric_name="MaxDatabaseConnectionsAllowed",
                    dimensions_map=proxy_dims,
                    statistic="Maximum",
                    period=FIVE_MIN,
                ),
            },
            label="Proxy pool use %",
            period=FIVE_MIN,
        )
        alarm("ProxyPoolUse", pool_use, 80, "RDS Proxy uses > 80 % of its allowed connections")
        failed_tx = app_metric("FailedTransactions")
        alarm("FailedTransactions", failed_tx, 0, "Transactions rolled back by errors")

        db_dims = {"DBInstanceIdentifier": database.instance_identifier}
        free_storage = cw.Metric(
            namespace="AWS/RDS",
            metric_name="FreeStorageSpace",
            dimensions_map=db_dims,
            statistic="Minimum",
            period=FIVE_MIN,
        )
        allocated_bytes = config.db_allocated_storage_gib * 1024**3
        alarm(
            "DiskUse",
            free_storage,
            0.2 * allocated_bytes,
            "Database disk use above 80 % of allocated storage",
            comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        )

        # Lambda errors and throttles, account/region-wide (one alarm regardless of how many
        # route functions exist; CloudWatch allows at most 10 metrics per alarm expression).
        lambda_errors = cw.Metric(
            namespace="AWS/Lambda", metric_name="Errors", statistic="Sum", period=FIVE_MIN
        )
        lambda_throttles = cw.Metric(
            namespace="AWS/Lambda", metric_name="Throttles", statistic="Sum", period=FIVE_MIN
        )
        alarm(
            "LambdaErrors",
            lambda_errors,
            config.lambda_errors_threshold,
            "Lambda invocation errors",
        )
        alarm("LambdaThrottles", lambda_throttles, 0, "Lambda invocations throttled")

        api_dims = {"ApiId": http_api.api_id, "Stage": stage_name}
        api_5xx_rate = cw.MathExpression(
            expression="IF(requests > 0, 100 * errors / requests, 0)",
            using_metrics={
                "errors": cw.Metric(
                    namespace="AWS/ApiGateway",
                    metric_name="5xx",
                    dimensions_map=api_dims,
                    statistic="Sum",
                    period=FIVE_MIN,
                ),
                "requests": cw.Metric(
                    namespace="AWS/ApiGateway",
                    metric_name="Count",
                    dimensions_map=api_dims,
                    statistic="Sum",
                    period=FIVE_MIN,
                ),
            },
            label="API 5xx %",
            period=FIVE_MIN,
        )
        alarm("Api5xxRate", api_5xx_rate, config.api_5xx_rate_percent, "API 5xx rate (%)")
        api_latency = cw.Metric(
            namespace="AWS/ApiGateway",
            metric_name="Latency",
            dimensions_map=api_dims,
            statistic="p99",
            period=FIVE_MIN,
        )
        alarm(
            "ApiLatencyP99",
            api_latency,
            config.api_latency_p99_ms,
            "API p99 latency",
            periods=2,
        )
        drift = app_metric("ReconciliationDrift")
        alarm("ReconciliationDrift", drift, 0, "Stored aggregates disagreed with activities")

        self.dashboard = cw.Dashboard(self, "Dashboard", dashboard_name=f"milequest-{config.name}")
        self.dashboard.add_widgets(
            cw.GraphWidget(title="API requests / 5xx %", left=[api_5xx_rate], width=12),
            cw.GraphWidget(title="API p99 latency (ms)", left=[api_latency], width=12),
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="Lambda errors / throttles", left=[lambda_errors, lambda_throttles], width=12
            ),
            cw.GraphWidget(title="Proxy pool use %", left=[pool_use], width=12),
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="Query p99 (ms) / slow queries",
                left=[query_p99],
                right=[slow_queries],
                width=12,
            ),
            cw.GraphWidget(title="Free storage (bytes)", left=[free_storage], width=12),
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="Failed transactions / reconciliation drift",
                left=[failed_tx, drift],
                width=24,
            ),
        )
