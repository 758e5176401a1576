"""The public boards: served from materialized views (refreshed every few minutes by
functions/jobs/refresh_leaderboards.py), so a minute of CDN caching costs no freshness; read
from the replica when one is configured (the domain functions choose the connection)."""

from __future__ import annotations

from typing import Any

from milequest.api.request import Request
from milequest.api.routing import Public, Router
from milequest.domain import leaderboards
from milequest.models.leaderboards import (
    GlobalLeaderboard,
    PublicBoardQuery,
    TeamsBoardQuery,
    TeamsLeaderboard,
)

router = Router()
# Both boards: anonymous, cached at the edge for a minute, light on memory.
PUBLIC: dict[str, Any] = {"auth": False, "cache": Public(max_age=60), "profile": "light"}


@router.get(
    "/leaderboards/global",
    "Global board of public walks (users with nothing public are absent)",
    **PUBLIC,
)
def global_leaderboard(req: Request, query: PublicBoardQuery) -> GlobalLeaderboard:
    return leaderboards.global_board(req.conn, query.period, query.limit)


@router.get(
    "/leaderboards/teams",
    "Team-vs-team board of public teams, by total or average per active member",
    **PUBLIC,
)
def teams_leaderboard(req: Request, query: TeamsBoardQuery) -> TeamsLeaderboard:
    return leaderboards.teams_board(req.conn, query.period, query.metric, query.limit)
