"""The activity write path and the user's own activity reads."""

from __future__ import annotations

from uuid import UUID

from milequest.api.request import Request
from milequest.api.responses import Reply
from milequest.api.routing import Router
from milequest.config import get_settings
from milequest.domain import activity_reads
from milequest.models.activities import (
    Activity,
    ActivityDeleted,
    ActivityListQuery,
    ActivityWritten,
    CreateActivity,
    Streak,
    Summaries,
    SummaryQuery,
    UpdateActivity,
    UserStats,
)
from milequest.models.base import Page

router = Router()
_ID = "/activities/{activityId}"


@router.post(
    "/activities",
    "Log an activity; moves user stats and team progress in one transaction",
    response=ActivityWritten,
    status=201,
)
def log_activity(req: Request, body: CreateActivity) -> Reply:
    # The write path (goal contributions, achievements, their notifications) is imported by the
    # routes that write only: it is no read route's cold start.
    from milequest.domain import activity_log

    logged = activity_log.log_activity(req.conn, req.me, body, get_settings().activity_rate_limit)
    # An import already logged (same source + externalId) answers 200 with the existing one.
    return Reply(logged.written, status=201 if logged.created else 200)


@router.get("/activities", "My activities, newest first")
def list_activities(req: Request, query: ActivityListQuery) -> Page[Activity]:
    return activity_reads.list_own(req.conn, req.me, query)


@router.get("/users/me/activities", "My activities (private included), newest first")
def list_my_activities(req: Request, query: ActivityListQuery) -> Page[Activity]:
    return activity_reads.list_own(req.conn, req.me, query)


@router.get("/activities/summary", "Daily, weekly or monthly totals in my timezone")
def activity_summary(req: Request, query: SummaryQuery) -> Summaries:
    return activity_reads.summary(req.conn, req.me, query)


@router.get("/activities/streak", "My current and longest streak (local days)", profile="light")
def activity_streak(req: Request) -> Streak:
    return activity_reads.streak(req.conn, req.me)


@router.get(_ID, "An activity: my own, or a team-mate's non-private one", profile="light")
def get_activity(req: Request, activity_id: UUID) -> Activity:
    return activity_reads.get_visible(req.conn, req.me, activity_id)


@router.patch(_ID, "Edit my activity; its contribution moves exactly", also=("PUT",))
def edit_activity(req: Request, body: UpdateActivity, activity_id: UUID) -> ActivityWritten:
    from milequest.domain import activity_edit  # the write path: see log_activity

    return activity_edit.edit_activity(req.conn, req.me, activity_id, body)


@router.delete(_ID, "Delete my activity; its contribution is removed exactly")
def delete_activity(req: Request, activity_id: UUID) -> ActivityDeleted:
    from milequest.domain import activity_edit  # the write path: see log_activity

    return activity_edit.delete_activity(req.conn, req.me, activity_id)


@router.get("/users/me/stats", "My totals, streaks, this week/month and best day")
def get_my_stats(req: Request) -> UserStats:
    return activity_reads.user_stats(req.conn, req.me)
