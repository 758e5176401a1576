"""EMF publishing shared by the jobs: plain metrics go through the shared Powertools Metrics
object; metrics with their own dimension (e.g. Check=<name>) each need a single_metric, since
dimensions of the shared object would apply to every metric of the flush."""

from __future__ import annotations

from collections.abc import Mapping

from aws_lambda_powertools.metrics import single_metric

from milequest.observability import MetricUnit, metrics

NAMESPACE = "MileQuest"
SERVICE = "milequest"


def publish(values: Mapping[str, tuple[MetricUnit, float]]) -> None:
    for name, (unit, value) in values.items():
        metrics.add_metric(name=name, unit=unit, value=value)
    metrics.flush_metrics()
    # With POWERTOOLS_METRICS_DISABLED (local runs, tests) a flush keeps the set, so values
    # would pile up in this long-lived process; a real flush has already cleared it.
    metrics.clear_metrics()


def publish_per_dimension(
    name: str, dimension: str, values: Mapping[str, float], unit: MetricUnit = MetricUnit.Count
) -> None:
    for dim_value, value in values.items():
        with single_metric(
            name=name,
            unit=unit,
            value=value,
            namespace=NAMESPACE,
            default_dimensions={"service": SERVICE},
        ) as metric:
            metric.add_dimension(name=dimension, value=dim_value)


def publish_counts(name: str, dimension: str, counts: Mapping[str, int]) -> None:
    """A job's findings as one metric: the total, and each count with `dimension` = its key."""
    publish({name: (MetricUnit.Count, float(sum(counts.values())))})
    publish_per_dimension(name, dimension, {k: float(v) for k, v in counts.items()})
