"""Alarms and a dashboard. Every alarm notifies one SNS topic (email subscribers from config)
encrypted with a customer-managed key whose policy lets CloudWatch use it: with the
AWS-managed alias/aws/sns key CloudWatch cannot publish, and no alarm would reach anyone."""

from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subs
from constructs import Construct

from infra import metrics
from infra.config import EnvConfig
from infra.dashboard import build_dashboard
from infra.database import Database
from infra.jobs import Jobs

GT = cw.ComparisonOperator.GREATER_THAN_THRESHOLD


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        config: EnvConfig,
        database: Database,
        http_api: apigw.HttpApi,
        jobs: Jobs,
        stage_name: str = "$default",
    ) -> None:
        super().__init__(scope, cid)
        self.config = config
        self.key = self._topic_key(config)
        self.topic = sns.Topic(
            self,
            "Alarms",
            display_name=f"MileQuest {config.name} alarms",
            master_key=self.key,
            enforce_ssl=True,
        )
        for email in config.alarm_emails:
            self.topic.add_subscription(subs.EmailSubscription(email))
        self.action = cw_actions.SnsAction(self.topic)
        self.alarms: dict[str, cw.Alarm] = {}
        self.metrics: dict[str, cw.IMetric] = {}
        self._database_alarms(config, database)
        self._app_alarms(config, http_api, stage_name)
        self._job_alarms(jobs)
        self.dashboard = build_dashboard(self, config, self.metrics, jobs)

    def _topic_key(self, config: EnvConfig) -> kms.Key:
        key = kms.Key(
            self,
            "TopicKey",
            description=f"MileQuest {config.name} alarm topic",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY,
        )
        stack = Stack.of(self)
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsPublishToTheEncryptedTopic",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy, "*" is this key
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {
                        "aws:SourceArn": f"arn:{stack.partition}:cloudwatch:{stack.region}:"
                        f"{stack.account}:alarm:*"
                    },
                },
            )
        )
        return key

    def alarm(
        self,
        name: str,
        metric: cw.IMetric,
        threshold: float,
        description: str,
        comparison: cw.ComparisonOperator = GT,
        periods: int = 1,
    ) -> cw.Alarm:
        created = cw.Alarm(
            self,
            name,
            alarm_name=f"milequest-{self.config.name}-{name}",
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=comparison,
            # No data is no traffic or no run: not a breach (job errors and the DLQ say more).
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
        created.add_alarm_action(self.action)
        created.add_ok_action(self.action)
        self.alarms[name] = created
        self.metrics[name] = metric
        return created

    def _database_alarms(self, config: EnvConfig, database: Database) -> None:
        # Slow queries: PostgreSQL logs every statement over log_min_duration_statement (1 s)
        # as "duration: N ms"; count those lines in the exported log group.
        slow = logs.MetricFilter(
            self,
            "SlowQueryFilter",
            log_group=database.log_group,
            filter_pattern=logs.FilterPattern.literal('"duration:"'),
            metric_namespace=metrics.APP_NAMESPACE,
            metric_name="SlowQueries",
            metric_value="1",
            default_value=0,
        )
        self.alarm(
            "SlowQueries",
            slow.metric(statistic="Sum", period=metrics.FIVE_MIN),
            0,
            "PostgreSQL logged statements slower than 1 s",
        )
        self.alarm(
            "QueryDurationP99",
            metrics.app_metric("QueryDuration", "p99"),
            1000,
            "p99 query time per request above 1 s",
        )
        self.alarm(
            "ProxyPoolUse",
            metrics.proxy_pool_use(database),
            80,
            "RDS Proxy uses > 80 % of the database connections it may open",
        )
        self.alarm(
            "ProxyBorrowLatency",
            metrics.proxy_borrow_latency(database),
            config.proxy_borrow_latency_ms * 1000,  # the metric is in microseconds
            f"Average wait for a pooled connection above {config.proxy_borrow_latency_ms} ms",
            periods=2,
        )
        self.alarm(
            "DiskUse",
            metrics.disk_used_percent(database),
            config.disk_used_percent,
            f"Database disk use above {config.disk_used_percent:g} % of current allocation",
        )
        max_bytes = config.db_max_allocated_storage_gib * metrics.GIB
        self.alarm(
            "StorageNearMax",
            metrics.allocated_storage(),
            max_bytes * config.storage_near_max_percent / 100,
            f"Allocated storage above {config.storage_near_max_percent:g} % of the "
            f"autoscaling maximum ({config.db_max_allocated_storage_gib} GiB)",
        )
        self.alarm(
            "DatabaseRollbacks",
            metrics.job_metric("DatabaseRollbacks"),
            0,
            "Transactions rolled back in the database (pg_stat_database.xact_rollback delta): "
            "includes functions that timed out or crashed mid-transaction",
        )
        if database.replica is not None:
            self.alarm(
                "ReplicaLag",
                metrics.replica_lag(database),
                config.replica_lag_s,
                f"Read replica more than {config.replica_lag_s} s behind the primary",
                periods=2,
            )

    def _app_alarms(self, config: EnvConfig, http_api: apigw.HttpApi, stage_name: str) -> None:
        self.alarm(
            "FailedTransactions",
            metrics.app_metric("FailedTransactions"),
            0,
            "Route transactions rolled back by errors (the app's count)",
        )
        self.alarm(
            "ReconciliationDrift",
            metrics.app_metric("ReconciliationDrift"),
            0,
            "Stored aggregates disagreed with activities",
        )
        self.alarm(
            "DataQualityFindings",
            metrics.job_metric("DataQualityFindings", period=metrics.ONE_HOUR),
            0,
            "The data quality check found rows breaking an invariant",
        )
        self.alarm(
            "NotificationDeliveriesFailed",
            metrics.job_metric("NotificationDeliveriesFailed"),
            0,
            "Notifications could not be delivered",
        )
        # Lambda errors and throttles, account/region-wide (one alarm regardless of how many
        # route functions exist; CloudWatch allows at most 10 metrics per alarm expression).
        self.alarm(
            "LambdaErrors",
            cw.Metric(namespace="AWS/Lambda", metric_name="Errors", statistic="Sum"),
            config.lambda_errors_threshold,
            "Lambda invocation errors",
        )
        self.alarm(
            "LambdaThrottles",
            cw.Metric(namespace="AWS/Lambda", metric_name="Throttles", statistic="Sum"),
            0,
            "Lambda invocations throttled (reserved concurrency reached)",
        )
        api_dims = {"ApiId": http_api.api_id, "Stage": stage_name}

        def api(name: str, statistic: str = "Sum") -> cw.Metric:
            return cw.Metric(
                namespace="AWS/ApiGateway",
                metric_name=name,
                dimensions_map=api_dims,
                statistic=statistic,
                period=metrics.FIVE_MIN,
            )

        rate = cw.MathExpression(
            expression="IF(requests > 0, 100 * errors / requests, 0)",
            using_metrics={"errors": api("5xx"), "requests": api("Count")},
            label="API 5xx %",
            period=metrics.FIVE_MIN,
        )
        self.alarm("Api5xxRate", rate, config.api_5xx_rate_percent, "API 5xx rate (%)")
        self.alarm(
            "ApiLatencyP99",
            api("Latency", "p99"),
            config.api_latency_p99_ms,
            "API p99 latency",
            periods=2,
        )

    def _job_alarms(self, jobs: Jobs) -> None:
        for name, fn in jobs.functions.items():
            self.alarm(
                f"JobErrors-{name}",
                fn.metric_errors(period=metrics.FIVE_MIN, statistic="Sum"),
                0,
                f"Scheduled job {name} failed (errors and timeouts)",
            )
        self.alarm(
            "JobDeadLetters",
            jobs.dlq.metric_approximate_number_of_messages_visible(
                period=metrics.FIVE_MIN, statistic="Maximum"
            ),
            0,
            "Job runs that failed after retries (or were never delivered) are waiting in the DLQ",
        )
