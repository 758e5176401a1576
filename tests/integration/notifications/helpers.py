"""Events that notify, caused through the API."""

from __future__ import annotations

from typing import Any

from tests.integration.teams.helpers import create_team, join
from tests.support.api import TestUser, call


def team_with_joiners(admin: TestUser, *joiners: TestUser) -> dict[str, Any]:
    """A team `admin` created that each joiner joined (MEMBER_JOINED for the admin each time)."""
    team = create_team(admin)
    for user in joiners:
        join(user, team)
    return team


def inbox(user: TestUser, **query: Any) -> dict[str, Any]:
    r = call("GET", "/notifications", user=user, query=query)
    assert r.status == 200, r.body
    return r.data  # type: ignore[no-any-return]


def unread(user: TestUser) -> int:
    return int(call("GET", "/notifications/unread-count", user=user).data["count"])
