"""Percent complete, one rule for every place that shows it (goal progress, team summaries,
activity outcomes), so a team never sees 100 % on one screen and 99.99 % on another."""

from __future__ import annotations

from decimal import Decimal

# The largest value shown while the target is not reached: rounding 99.996 must not read as done.
_BELOW_TARGET_CAP = 99.99


def percent_complete(total: float | Decimal, target: float | Decimal) -> float:
    """`total / target` as a percentage with two decimals, capped at 100.

    100.0 only once the target is reached; 0.0 for a non-positive target (no goal to measure
    against) and for a negative total."""
    total_f, target_f = float(total), float(target)
    if target_f <= 0 or total_f <= 0:
        return 0.0
    if total_f >= target_f:
        return 100.0
    return min(round(total_f / target_f * 100, 2), _BELOW_TARGET_CAP)
