"""Logging and metrics, neutral so any layer may import them (Powertools).

Per-request log keys (request id, route, user) live in Powertools' thread-safe keys, which are
a context variable: each thread (the local server's workers) and each Lambda invocation sees
only its own, so concurrent requests can never stamp each other's lines.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="milequest")
metrics = Metrics(namespace="MileQuest", service="milequest")


def bind_log_keys(**keys: object) -> None:
    """Add keys to every log line of the current request (this thread or context only)."""
    logger.thread_safe_append_keys(**keys)


def clear_log_keys() -> None:
    """End of a request: forget its keys so the next one on this thread starts clean."""
    logger.thread_safe_clear_keys()


__all__ = ["logger", "metrics", "MetricUnit", "bind_log_keys", "clear_log_keys"]
