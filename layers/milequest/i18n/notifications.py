"""The texts of each notification category, rendered in the recipient's locale.

`params` come from the notification's data plus the names notify() looks up (goal, team, user,
achievement): the rendered title and body are stored with the notification, so the inbox and
the email/push deliveries show the same words.
"""

from __future__ import annotations

from typing import Any

from milequest.i18n import render

# category -> (title, body); MILESTONE has a second pair for waypoints.
TEXTS: dict[str, tuple[str, str]] = {
    "MEMBER_JOINED": ("{userName} joined {teamName}", ""),
    "GOAL_CREATED": ("New goal: {goalName}", "{distanceKm} km route"),
    "MILESTONE": (
        "{goalName}: {percent}% complete",
        "Your team has covered {percent}% of {goalName}.",
    ),
    "GOAL_COMPLETED": ("Goal completed: {goalName}", "Your team completed {goalName}!"),
    "GOAL_FAILED": (
        "Goal not reached: {goalName}",
        "The goal's end date passed before the team reached its target.",
    ),
    "ACHIEVEMENT_EARNED": ("Achievement unlocked: {achievementName}", "{achievementDescription}"),
    "INVITE_RECEIVED": ("You're invited to join {teamName}", ""),
    "ACTIVITY_COMMENT": ("{userName} commented on your walk", "{text}"),
    "ACTIVITY_REACTION": ("{userName} reacted {emoji} to your walk", ""),
}
WAYPOINT = (
    "{goalName}: waypoint {waypointNumber} reached",
    "Your team reached waypoint {waypointNumber} of {goalName}.",
)


def texts(category: str, data: dict[str, Any]) -> tuple[str, str] | None:
    if category == "MILESTONE" and "waypoint" in data:
        return WAYPOINT
    return TEXTS.get(category)


def render_notification(
    locale: str, category: str, params: dict[str, Any]
) -> tuple[str, str] | None:
    """(title, body) in `locale`, or None when a field the texts need is missing (the caller's
    own English text is used then)."""
    pair = texts(category, params)
    if pair is None:
        return None
    translated = dict(params)
    if "achievementKey" in params:
        # The achievement's name and description are catalog messages of their own.
        translated["achievementName"] = render(locale, str(params.get("achievementName", "")))
        translated["achievementDescription"] = render(
            locale, str(params.get("achievementDescription", ""))
        )
    try:
        pair[0].format_map(translated), pair[1].format_map(translated)
    except (KeyError, IndexError, ValueError):
        return None
    return render(locale, pair[0], **translated), render(locale, pair[1], **translated)
