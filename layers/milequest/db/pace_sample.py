"""The forecast's pace sample of a team (docs/analytics.md): read by /progress, team analytics
and the dashboard's cards. Apart from the analytics reads so that the dashboard's cold start
does not import them. Read-only: may run on the read replica."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection


def daily_sample(conn: Connection[Any], team_id: UUID, days: int) -> list[float]:
    """Metres walked per day by the team's current members over their last `days` local days
    (today included, each walk on its walker's local date), oldest first, zero days included.
    All their walks count, private ones too: the sample only ever leaves as a forecast.

    The statement is the server function `team_daily_sample` (migrations/0840, where its plan
    is kept: docs/architecture.md#kept-plans), also run by the dashboard per team. It reads the
    per-day totals the write path keeps with every walk (user_daily_totals: each walk on its
    walker's local date in their current timezone, rebuilt with it): a range of at most `days`
    rows per current member instead of their every walk with a timezone conversion each."""
    rows = conn.execute(
        "SELECT ago, distance FROM team_daily_sample(%s, %s)", (team_id, days)
    ).fetchall()
    return dense_sample(rows, days)


def dense_sample(walked: Iterable[tuple[int, Decimal]], days: int) -> list[float]:
    """`team_daily_sample`'s rows (ago, metres), one per day with walks, as the forecast's
    sample: metres per day over the last `days` days, oldest first, the days without walks 0."""
    sample = [0.0] * days
    for ago, metres in walked:
        sample[days - 1 - ago] = float(metres)
    return sample
