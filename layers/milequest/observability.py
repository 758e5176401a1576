"""Logging and metrics, neutral so any layer may import them (Powertools).

Per-request log keys live in a context variable (Powertools' thread-safe keys), never in the
shared formatter: the threaded local server runs requests side by side, and one request's
request id or route must not end up on another's lines.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

logger = Logger(service="milequest")
metrics = Metrics(namespace="MileQuest", service="milequest")


def bind_request_keys(**keys: object) -> None:
    """Add keys to every line this request (this thread or task) logs from now on."""
    logger.thread_safe_append_keys(**keys)


def metrics_published() -> bool:
    """False where Powertools publishes no metrics (POWERTOOLS_METRICS_DISABLED: local runs,
    tests, the benchmarks), read per call as Powertools reads it: collecting them there would
    be work thrown away."""
    return not is_metrics_disabled()


def clear_request_keys() -> None:
    """End of request: its keys go; the service-wide keys stay."""
    logger.thread_safe_clear_keys()


__all__ = [
    "logger",
    "metrics",
    "MetricUnit",
    "bind_request_keys",
    "clear_request_keys",
    "metrics_published",
]
