"""activities routes (registered in functions/registry.py): the write path, the user's own
reads and aggregates, comments and reactions, and the achievements catalog."""

from __future__ import annotations

from milequest.api.routing import Public, Route
from milequest.models import activities as m
from milequest.models.base import Empty, Page

_P = "functions.activities"
_ID = "/activities/{activityId}"

ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/activities",
        f"{_P}.log_activity.handler",
        "Log an activity; moves user stats and team progress in one transaction",
        body=m.CreateActivity,
        response=m.ActivityWritten,
        status=201,
    ),
    Route(
        "GET",
        "/activities",
        f"{_P}.list_activities.handler",
        "My activities, newest first",
        query=m.ActivityListQuery,
        response=Page[m.Activity],
    ),
    Route(
        "GET",
        "/activities/summary",
        f"{_P}.activity_summary.handler",
        "Daily, weekly or monthly totals in my timezone",
        query=m.SummaryQuery,
        response=m.Summaries,
    ),
    Route(
        "GET",
        "/activities/streak",
        f"{_P}.activity_streak.handler",
        "My current and longest streak (local days)",
        response=m.Streak,
        profile="light",
    ),
    Route(
        "GET",
        _ID,
        f"{_P}.get_activity.handler",
        "An activity: my own, or a team-mate's non-private one",
        response=m.Activity,
        profile="light",
    ),
    Route(
        "PATCH",
        _ID,
        f"{_P}.edit_activity.handler",
        "Edit my activity; its contribution moves exactly",
        body=m.UpdateActivity,
        response=m.ActivityWritten,
    ),
    Route(
        "PUT",
        _ID,
        f"{_P}.replace_activity.handler",
        "Alias of PATCH",
        body=m.UpdateActivity,
        response=m.ActivityWritten,
    ),
    Route(
        "DELETE",
        _ID,
        f"{_P}.delete_activity.handler",
        "Delete my activity; its contribution is removed exactly",
        response=m.ActivityDeleted,
    ),
    Route(
        "GET",
        f"{_ID}/comments",
        f"{_P}.list_comments.handler",
        "Comments on a team-mate's activity",
        response=list[m.Comment],
        profile="light",
    ),
    Route(
        "POST",
        f"{_ID}/comments",
        f"{_P}.add_comment.handler",
        "Comment on a team-mate's activity",
        body=m.CommentIn,
        response=m.Comment,
        status=201,
        profile="light",
    ),
    Route(
        "DELETE",
        f"{_ID}/comments/{{commentId}}",
        f"{_P}.delete_comment.handler",
        "Delete a comment (its author or a team admin)",
        response=Empty,
        profile="light",
    ),
    Route(
        "PUT",
        f"{_ID}/reactions/{{emoji}}",
        f"{_P}.add_reaction.handler",
        "React to a team-mate's activity (idempotent)",
        response=m.Reaction,
        profile="light",
    ),
    Route(
        "DELETE",
        f"{_ID}/reactions/{{emoji}}",
        f"{_P}.remove_reaction.handler",
        "Remove my reaction (idempotent)",
        response=m.Reaction,
        profile="light",
    ),
    Route(
        "GET",
        "/users/me/activities",
        f"{_P}.list_my_activities.handler",
        "My activities (private included), newest first",
        query=m.ActivityListQuery,
        response=Page[m.Activity],
    ),
    Route(
        "GET",
        "/users/me/stats",
        f"{_P}.get_my_stats.handler",
        "My totals, streaks, this week/month and best day",
        response=m.UserStats,
    ),
    Route(
        "GET",
        "/users/me/achievements",
        f"{_P}.list_my_achievements.handler",
        "Achievements I have earned",
        response=list[m.EarnedAchievement],
        profile="light",
    ),
    Route(
        "GET",
        "/achievements",
        f"{_P}.list_achievements.handler",
        "The achievement catalog",
        auth=False,
        cache=Public(max_age=3600),
        response=list[m.CatalogAchievement],
        profile="light",
    ),
)
