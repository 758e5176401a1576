"""A team's leaderboard and my rank on it: live, members only, private walks counted."""

from __future__ import annotations

from uuid import UUID

from milequest.api.request import Request
from milequest.api.routing import Router
from milequest.domain import leaderboards
from milequest.models.leaderboards import (
    LeaderboardRank,
    TeamBoardQuery,
    TeamLeaderboard,
    TeamRankQuery,
)

router = Router()


@router.get(
    "/teams/{teamId}/leaderboard",
    "Team leaderboard for week/month (my timezone), all time or a goal (members)",
)
def team_leaderboard(req: Request, query: TeamBoardQuery, team_id: UUID) -> TeamLeaderboard:
    return leaderboards.team_board(req.conn, team_id, req.me, query)


@router.get(
    "/teams/{teamId}/leaderboard/rank",
    "My rank on the team leaderboard, with the gaps to the ranks around me (members)",
)
def team_leaderboard_rank(req: Request, query: TeamRankQuery, team_id: UUID) -> LeaderboardRank:
    return leaderboards.team_rank(req.conn, team_id, req.me, query)
