"""users routes (registered in functions/registry.py). /users/me/teams, /invites, /stats,
/activities and /achievements are declared by the teams and activities areas."""

from __future__ import annotations

from milequest.api.routing import Route
from milequest.models import users as m

_P = "functions.users"

ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        "/users/me",
        f"{_P}.get_me.handler",
        "The signed-in user's account and stats",
        response=m.Me,
    ),
    Route(
        "PATCH",
        "/users/me",
        f"{_P}.update_me.handler",
        "Change name, avatar, time zone or units",
        body=m.UpdateMe,
        response=m.Me,
    ),
    Route(
        "DELETE",
        "/users/me",
        f"{_P}.delete_me.handler",
        "Delete the account: data scrubbed, memberships ended, sign-in removed",
        response=m.Deleted,
    ),
    Route(
        "GET",
        "/users/me/export",
        f"{_P}.export_me.handler",
        "Everything the user owns, as one JSON document",
        response=m.DataExport,
        profile="heavy",
    ),
    Route(
        "GET",
        "/users/{userId}",
        f"{_P}.get_user.handler",
        "Public profile of someone sharing a team with the caller",
        response=m.PublicProfile,
    ),
)
