"""Logging and metrics, neutral so any layer may import them (Powertools)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="milequest")
metrics = Metrics(namespace="MileQuest", service="milequest")

__all__ = ["logger", "metrics", "MetricUnit"]
