"""Moving team progress when an activity is logged, edited or deleted (docs/domain.md#aggregates,
docs/domain.md#milestones-and-completion).

Runs inside the activity write transaction, after the user's stats row was locked. Lock order:
teams the activity counts for (FOR SHARE, by id) → team_progress rows (by goal id), so writes of
different users to the same goal never deadlock, and goal activation (which locks the team row
FOR UPDATE) waits for in-flight writes and sees their rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from psycopg import Connection

from milequest.db import contributions
from milequest.db import team_progress as progress_db
from milequest.db.notifications import live_member_ids, notify
from milequest.domain.percent import percent_complete

if TYPE_CHECKING:  # the write path builds them (see move): goal routes reach this module too
    from milequest.models.activities import EarnedAchievement, TeamUpdate


@dataclass(frozen=True)
class Contribution:
    """An activity's share of team progress: distance and count at a timestamp."""

    distance: Decimal
    at: datetime


@dataclass
class Outcome:
    team_updates: list[TeamUpdate]
    earned: dict[UUID, list[EarnedAchievement]]


def move(
    conn: Connection[Any],
    user_id: UUID,
    old: Contribution | None,
    new: Contribution | None,
) -> Outcome:
    """Subtract `old` from the goals it counted for and add `new` to the goals it counts for."""
    # The contended rows: locked from here to COMMIT.
    rows = progress_db.move(
        conn,
        user_id,
        (old.at, old.distance) if old is not None else None,
        (new.at, new.distance) if new is not None else None,
    )
    return settle(conn, rows, old, new)


def settle(
    conn: Connection[Any],
    rows: list[progress_db.MovedRow],
    old: Contribution | None,
    new: Contribution | None,
) -> Outcome:
    """The moved rows' follow-ups, in the write's transaction: a new latest walk when the
    removed one was it, the milestones, waypoints and completion an increase reached. A logged
    walk that reached none (the rows say so) issues no statement here."""
    outcome = Outcome(team_updates=[], earned={})
    for row in rows:
        goal_id, last = row.goal_id, row.last_activity_at
        if old is not None and row.counted_old and (last is None or old.at >= last):
            # The removed activity was the latest one (anything later would show here): probe
            # for the new latest, in a statement after the row lock, so it sees every commit.
            progress_db.set_last_activity(
                conn, goal_id, contributions.last_activity_at(conn, goal_id)
            )
        added = (new.distance if new is not None and row.counted_new else 0) - (
            old.distance if old is not None and row.counted_old else 0
        )
        if added > 0:
            _reached(conn, row, outcome)
        # Imported here, by the activity write that calls this: the goals area imports this
        # module for announce() and would otherwise build the activity models at cold start.
        from milequest.models.activities import TeamUpdate

        outcome.team_updates.append(
            TeamUpdate(
                team_id=row.team_id,
                goal_id=goal_id,
                new_total_distance=float(row.total_distance),
                new_percent_complete=percent_complete(row.total_distance, row.target_distance),
            )
        )
    return outcome


def announce(conn: Connection[Any], goal_id: UUID) -> Outcome:
    """After a goal's progress was set wholesale (activation backfill): act on the milestones,
    waypoints and completion it already reached, exactly as an activity write would."""
    outcome = Outcome(team_updates=[], earned={})
    row = progress_db.add(conn, goal_id, Decimal(0), 0, None)
    if row is not None and row.total_distance > 0:
        _reached(conn, row, outcome)
    return outcome


def _reached(conn: Connection[Any], row: progress_db.ProgressRow, outcome: Outcome) -> None:
    """Milestones, waypoints and completion crossed by an increase, each acted on once. Which
    ones the row reached is decided in SQL (progress_reached, migrations/0790), by the
    statement that moved it: the same rule lets a walk that reaches none skip this whole
    transaction (milequest.db.activity_create)."""
    if not row.new_milestones and not row.new_waypoints and not row.completes:
        return
    new_m, new_w = progress_db.mark_reached(
        conn, row.goal_id, row.new_milestones, row.new_waypoints
    )
    members = live_member_ids(conn, row.team_id)
    name, goal = row.goal_name, row.goal_id
    notices = [
        (
            f"{m}% complete",
            f"Your team has covered {m}% of {name}.",
            {"percent": m},
            f"milestone:{goal}:{m}",
        )
        for m in new_m
    ] + [
        (
            f"waypoint {i + 1} reached",
            f"Your team reached waypoint {i + 1} of {name}.",
            {"waypoint": i},
            f"waypoint:{goal}:{i}",
        )
        for i in new_w
    ]
    for what, body, data, key in notices:
        notify(
            conn,
            members,
            "MILESTONE",
            f"{name}: {what}",
            body,
            team_id=row.team_id,
            data={"goalId": str(goal), **data},
            dedupe_key=key,
        )
    if row.completes:
        _complete(conn, row, members, outcome)


def _complete(
    conn: Connection[Any],
    row: progress_db.ProgressRow,
    members: list[UUID],
    outcome: Outcome,
) -> None:
    ranked = progress_db.contributors(conn, row.goal_id)
    top = ranked[0].user_id if ranked else None
    final_stats = {
        "totalDistance": float(row.total_distance),
        "totalActivities": row.total_activities,
        "targetDistance": float(row.target_distance),
        "contributors": [
            {"userId": str(c.user_id), "distance": float(c.distance), "activities": c.activities}
            for c in ranked
        ],
    }
    if not progress_db.complete_goal(conn, row.goal_id, final_stats):
        return  # already completed by an earlier transaction
    notify(
        conn,
        members,
        "GOAL_COMPLETED",
        f"Goal completed: {row.goal_name}",
        f"Your team completed {row.goal_name}!",
        team_id=row.team_id,
        data={"goalId": str(row.goal_id)},
        dedupe_key=f"goal-completed:{row.goal_id}",
    )
    # Imported here, on the rare completing write: the goals area reaches this module through
    # goal activation, and importing the achievements module at the top costs its cold start.
    from milequest.domain.achievements import award_for_completed_goal

    for user_id, earned in award_for_completed_goal(conn, row.goal_id, members, top).items():
        outcome.earned.setdefault(user_id, []).extend(earned)
