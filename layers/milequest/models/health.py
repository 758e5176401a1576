from __future__ import annotations

from typing import Literal

from milequest.models.base import ApiModel


class DatabaseHealth(ApiModel):
    status: Literal["ok", "unavailable"]
    latency_ms: float | None = None


class HealthStatus(ApiModel):
    status: Literal["ok", "unavailable"]
    database: DatabaseHealth
    version: str
