"""Reconciliation (docs/domain.md#reconciliation): recompute the maintained aggregates from raw
rows (user stats, the user's daily totals, goal progress), report the drift, repair it.

Each row is checked and repaired in its own short transaction under the same lock the write
path takes first for it (the user's stats row; the goal's team row FOR UPDATE, which waits for
in-flight activity writes holding it FOR SHARE), so a repair never races a concurrent write.
Only ACTIVE goals are reconciled: a completed, failed or cancelled goal's progress is frozen
history and no longer follows edits of the activities behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import contributions
from milequest.db import team_progress as progress_db
from milequest.db import teams as teams_db
from milequest.db import user_daily as daily_db
from milequest.db import user_stats as stats_db


@dataclass
class Drift:
    users_checked: int = 0
    goals_checked: int = 0
    users_repaired: list[UUID] = field(default_factory=list)
    days_repaired: list[UUID] = field(default_factory=list)  # users whose daily totals drifted
    goals_repaired: list[UUID] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.users_repaired) + len(self.days_repaired) + len(self.goals_repaired)


def reconcile_days(conn: Connection[Any], user_id: UUID, *, repair: bool) -> bool:
    """True when the user's daily totals differed from a recomputation from their activities."""
    with conn.transaction():
        stats_db.lock(conn, user_id)
        drifted = daily_db.drifted(conn, user_id)
        if drifted and repair:
            daily_db.rebuild(conn, user_id)
        return drifted


def reconcile_user(conn: Connection[Any], user_id: UUID, *, repair: bool) -> bool:
    """True when the stored stats differed from the recomputation."""
    with conn.transaction():
        stored = stats_db.lock(conn, user_id)
        totals = stats_db.recompute_totals(conn, user_id)
        streak = stats_db.recompute_streak(conn, user_id)
        drifted = (
            stored.total_distance != totals.total_distance
            or stored.total_duration != totals.total_duration
            or stored.total_activities != totals.total_activities
            or stored.last_activity_at != totals.last_activity_at
            or stored.current_streak != streak.current
            or stored.longest_streak != streak.longest
            or stored.last_activity_date != streak.last_date
        )
        if drifted and repair:
            stats_db.overwrite(conn, user_id, totals, streak)
        return drifted


def reconcile_goal(
    conn: Connection[Any], goal: progress_db.StoredProgress, *, repair: bool
) -> bool:
    with conn.transaction():
        teams_db.lock_team(conn, goal.team_id)
        current = progress_db.active_goal(conn, goal.goal_id)
        if current is None:
            return False  # no longer ACTIVE: frozen
        total, count, last_at = contributions.recomputed(conn, goal.goal_id)
        drifted = (
            current.total_distance != total
            or current.total_activities != count
            or current.last_activity_at != last_at
        )
        if drifted and repair:
            progress_db.overwrite(conn, goal.goal_id, total, count, last_at)
        return drifted


def reconcile(conn: Connection[Any], *, repair: bool = True) -> Drift:
    drift = Drift()
    for user_id in stats_db.all_user_ids(conn):
        drift.users_checked += 1
        if reconcile_user(conn, user_id, repair=repair):
            drift.users_repaired.append(user_id)
        if reconcile_days(conn, user_id, repair=repair):
            drift.days_repaired.append(user_id)
    for goal in progress_db.active_goals(conn):
        drift.goals_checked += 1
        if reconcile_goal(conn, goal, repair=repair):
            drift.goals_repaired.append(goal.goal_id)
    return drift
