"""Goals: create, read, update, status transitions, delete (docs/domain.md#goals).

Routing (possibly a network call) happens before any transaction. Every status change locks
the team row FOR UPDATE first (milequest.db.contributions, locking protocol): activations then
see every committed activity of the team's members when they backfill progress, and at most one
ACTIVE goal per team is checked on stable state (the partial unique index is the backstop).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import contributions, team_progress
from milequest.db import goals as goals_db
from milequest.db.audit import record
from milequest.db.notifications import live_member_ids, notify
from milequest.domain import access, goal_contributions
from milequest.domain.errors import Conflict, GoalActive, ValidationFailed
from milequest.domain.goal_expiry import notify_failed
from milequest.domain.goal_reads import goal_out, load_goal, progress_of, utc_now
from milequest.domain.goal_routes import plan_route
from milequest.domain.unique import unique_or_raise
from milequest.geo import Route, RouteProvider
from milequest.models.goals import (
    CreateGoal,
    Goal,
    GoalDeleted,
    Location,
    UpdateGoal,
)

EDITABLE = ("DRAFT", "ACTIVE")
DELETABLE = ("DRAFT", "CANCELLED")
# Allowed status transitions an admin may request; others are 409 CONFLICT.
# ACTIVE → FAILED is the team giving up (docs/domain.md#goals): frozen like a completed goal.
TRANSITIONS = {("DRAFT", "ACTIVE"), ("ACTIVE", "CANCELLED"), ("ACTIVE", "FAILED")}


# --- writes --------------------------------------------------------------------------------


def _check_dates(start: datetime, end: datetime | None, *, activating: bool, now: datetime) -> None:
    if end is None:
        return  # no deadline
    if end <= start:
        raise ValidationFailed(
            "endDate must be after startDate",
            details=[{"field": "endDate", "message": "must be after startDate"}],
        )
    if activating and end <= now:
        raise ValidationFailed(
            "An active goal must end in the future",
            details=[{"field": "endDate", "message": "must be in the future"}],
        )


def _location(p: Location) -> dict[str, Any]:
    return p.model_dump(exclude_none=True)


def _backfill(conn: Connection[Any], goal_id: UUID) -> None:
    """Progress of an ACTIVE goal = activities already logged by members inside its window."""
    total, count, last = contributions.recomputed(conn, goal_id)
    team_progress.overwrite(conn, goal_id, total, count, last)
    goal_contributions.announce(conn, goal_id)  # milestones/completion already reached


def _already_active() -> GoalActive:
    return GoalActive("The team already has an active goal")


def _insert_goal(conn: Connection[Any], values: dict[str, Any]) -> UUID:
    with unique_or_raise(conn, goals_db.ONE_ACTIVE_INDEX, _already_active()):
        return goals_db.insert(conn, values)


def create_goal(
    conn: Connection[Any], team_id: UUID, me: UUID, body: CreateGoal, provider: RouteProvider
) -> Goal:
    access.require_member(conn, team_id, me)
    now = utc_now()
    start_date = body.start_date or now
    active = body.status == "ACTIVE"
    _check_dates(start_date, body.end_date, activating=active, now=now)
    route = plan_route(provider, body.start_location, body.waypoints, body.end_location)
    values = {
        "team_id": team_id,
        "created_by": me,
        "name": body.name,
        "description": body.description,
        "status": body.status,
        "start_location": _location(body.start_location),
        "end_location": _location(body.end_location),
        "waypoints": [_location(p) for p in body.waypoints],
        "route_data": route.to_data(),
        "route_wkt": route.wkt(),
        "target_distance": round(body.target_distance or route.total_distance, 3),
        "start_date": start_date,
        "end_date": body.end_date,
    }
    with conn.transaction():
        access.require_member(conn, team_id, me, lock=active)
        if active and goals_db.active_for_team(conn, team_id) is not None:
            raise GoalActive("The team already has an active goal")
        goal_id = _insert_goal(conn, values)
        if active:
            _backfill(conn, goal_id)
        others = [u for u in live_member_ids(conn, team_id) if u != me]
        notify(
            conn,
            others,
            "GOAL_CREATED",
            f"New goal: {body.name}",
            f"{round(route.total_distance / 1000, 1)} km route",
            team_id=team_id,
            data={"goalId": str(goal_id), "status": body.status},
            dedupe_key=f"goal-created:{goal_id}",
        )
        row = load_goal(conn, team_id, goal_id)
    return goal_out(row, progress_of(conn, row, now) if active else None)


_ROUTE_FIELDS = ("start_location", "end_location", "waypoints")


def _reroute(
    row: goals_db.GoalRow, body: UpdateGoal, provider: RouteProvider
) -> tuple[Route, dict[str, Any]] | None:
    """The new route and its columns when the body changes any route point."""
    if not any(f in body.model_fields_set for f in _ROUTE_FIELDS):
        return None
    start = body.start_location or Location.model_validate(row.start_location)
    end = body.end_location or Location.model_validate(row.end_location)
    if "waypoints" in body.model_fields_set:
        waypoints = body.waypoints or []
    else:
        waypoints = [Location.model_validate(p) for p in row.waypoints]
    route = plan_route(provider, start, waypoints, end)
    return route, {
        "start_location": _location(start),
        "end_location": _location(end),
        "waypoints": [_location(p) for p in waypoints],
        "route_data": route.to_data(),
        "route_wkt": route.wkt(),
    }


def _status_change(conn: Connection[Any], row: goals_db.GoalRow, new: str, me: UUID) -> None:
    if (row.status, new) not in TRANSITIONS:
        raise Conflict(f"A {row.status} goal cannot become {new}")
    if new == "ACTIVE" and goals_db.active_for_team(conn, row.team_id) is not None:
        raise GoalActive("The team already has an active goal")
    if new in ("CANCELLED", "FAILED"):
        record(
            conn,
            me,
            "GOAL_CANCELLED" if new == "CANCELLED" else "GOAL_GIVEN_UP",
            team_id=row.team_id,
            target_id=row.id,
            details={"name": row.name},
        )
    if new == "FAILED":
        goals_db.freeze_final_stats(conn, row.id)
        notify_failed(
            conn,
            row.id,
            row.team_id,
            f"Goal given up: {row.name}",
            "An admin ended the goal before the team reached its target.",
        )


def update_goal(
    conn: Connection[Any],
    team_id: UUID,
    goal_id: UUID,
    me: UUID,
    body: UpdateGoal,
    provider: RouteProvider,
) -> Goal:
    access.require_admin(conn, team_id, me)
    before = load_goal(conn, team_id, goal_id)
    if before.status not in EDITABLE:
        raise Conflict(f"A {before.status} goal cannot be edited")
    rerouted = _reroute(before, body, provider)
    now = utc_now()
    fields = body.model_dump(exclude_unset=True, exclude={*_ROUTE_FIELDS})
    for key in ("name", "start_date", "end_date", "target_distance"):
        if key in fields and fields[key] is None:
            raise ValidationFailed(
                f"{key} cannot be null", details=[{"field": key, "message": "required"}]
            )
    with conn.transaction():
        access.require_admin(conn, team_id, me, lock=True)
        row = load_goal(conn, team_id, goal_id, lock=True)
        if row.status not in EDITABLE:
            raise Conflict(f"A {row.status} goal cannot be edited")
        changes: dict[str, Any] = {}
        new_status = fields.pop("status", None)
        if new_status is not None and new_status != row.status:
            _status_change(conn, row, new_status, me)
            changes["status"] = new_status
        status = changes.get("status", row.status)
        start = fields.get("start_date", row.start_date)
        end = fields.get("end_date", row.end_date)
        dates_changed = start != row.start_date or end != row.end_date
        _check_dates(
            start,
            end,
            activating=status == "ACTIVE" and ("status" in changes or dates_changed),
            now=now,
        )
        changes.update(fields)
        if rerouted is not None:
            route, columns = rerouted
            changes.update(columns)
            if "target_distance" not in fields:
                changes["target_distance"] = round(route.total_distance, 3)
        if "target_distance" in changes:
            changes["target_distance"] = round(changes["target_distance"], 3)
        with unique_or_raise(conn, goals_db.ONE_ACTIVE_INDEX, _already_active()):
            goals_db.update(conn, goal_id, changes)
        if status == "ACTIVE" and ("status" in changes or dates_changed):
            _backfill(conn, goal_id)
        after = load_goal(conn, team_id, goal_id)
    progress = None if after.status == "DRAFT" else progress_of(conn, after, now)
    return goal_out(after, progress)


def delete_goal(conn: Connection[Any], team_id: UUID, goal_id: UUID, me: UUID) -> GoalDeleted:
    with conn.transaction():
        access.require_admin(conn, team_id, me, lock=True)
        row = load_goal(conn, team_id, goal_id, lock=True)
        if row.status not in DELETABLE:
            raise Conflict(f"A {row.status} goal cannot be deleted; cancel it first")
        goals_db.delete(conn, goal_id)
    return GoalDeleted(id=goal_id)
