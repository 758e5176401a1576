"""The dispatcher: sends due EMAIL and PUSH deliveries (docs/notifications.md).

Each delivery is claimed with FOR UPDATE SKIP LOCKED in its own transaction, sent, and its
outcome recorded before the commit, so dispatchers running at once never send the same
delivery. Quiet hours (the recipient's local time, per category and channel) defer a delivery
to their end without spending an attempt. A failed attempt is retried after a growing backoff
(1, 2, 4 ... minutes, at most an hour); after `max_retries` retries it is FAILED for good.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from psycopg import Connection

from milequest.db import deliveries as deliveries_db
from milequest.domain import notifications_email, notifications_webpush
from milequest.domain.notifications_email import Outcome

BASE_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)


@dataclass
class Summary:
    sent: int = 0
    failed: int = 0  # permanently, this run
    retried: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)


def quiet_until(now: datetime, tz: str, start: time | None, end: time | None) -> datetime | None:
    """When the quiet hours around `now` end (UTC), or None outside them. Hours in the user's
    timezone; a window whose start is after its end spans midnight (22:00-07:00)."""
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(ZoneInfo(tz))
    t = local.time().replace(tzinfo=None)
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + timedelta(days=1)
    # Build the local wall-clock end and let zoneinfo resolve it (DST gaps move it forward).
    until = datetime.combine(day, end, tzinfo=ZoneInfo(tz))
    return until.astimezone(UTC)


def backoff(attempts_done: int) -> timedelta:
    return min(MAX_BACKOFF, BASE_BACKOFF * (2 ** max(attempts_done - 1, 0)))


def _send(conn: Connection[Any], d: deliveries_db.Due) -> Outcome:
    if d.channel == "EMAIL":
        return notifications_email.send(d)
    return notifications_webpush.send(conn, d)


def dispatch_one(conn: Connection[Any], now: datetime, summary: Summary) -> bool:
    """Claim and handle one due delivery; False when none is due."""
    with conn.transaction():
        d = deliveries_db.claim_one(conn, now)
        if d is None:
            return False
        until = quiet_until(now, d.timezone, d.quiet_start, d.quiet_end)
        if until is not None:
            deliveries_db.defer(conn, d.id, until)
            summary.deferred += 1
            return True
        outcome = _send(conn, d)
        if outcome.sent:
            deliveries_db.mark_sent(conn, d.id, now)
            summary.sent += 1
            return True
        if outcome.suppressed:
            deliveries_db.suppress_email(conn, d.user_id)
        attempts = d.attempts + 1
        retry = not outcome.permanent and attempts <= d.max_retries
        deliveries_db.mark_failed_attempt(
            conn, d.id, outcome.error, now + backoff(attempts) if retry else None
        )
        if retry:
            summary.retried += 1
        else:
            summary.failed += 1
            summary.errors.append(outcome.error)
    return True


def dispatch(
    conn: Connection[Any],
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    budget_seconds: float = 50.0,
    limit: int = 1000,
) -> Summary:
    """Send what is due until nothing is, `limit` deliveries were handled, or the time budget
    (under the job's one-minute schedule) is spent."""
    summary = Summary()
    deadline = clock.monotonic() + budget_seconds
    for _ in range(limit):
        if clock.monotonic() > deadline or not dispatch_one(conn, now(), summary):
            break
    return summary
