"""Leaderboards (docs/leaderboards.md).

Team boards are live: every live member (zeros included), private walks counted (they are
team-internal), each walk only if made while its author was a member. Periods are the ISO week
and the month in the requester's timezone, all time, or a goal's window. Ordering is distance
desc then name, with standard competition ranking (1, 2, 2, 4).

Public boards (global, team-vs-team) come from materialized views refreshed by a job; their
answer carries the refresh time as `asOf`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import goals as goals_db
from milequest.db import leaderboards as boards_db
from milequest.db import teams as teams_db
from milequest.db.read_connection import read
from milequest.domain.access import require_member
from milequest.domain.board_ranking import (
    Window,
    board_top,
    entry,
    local_window,
    ranked,
)
from milequest.domain.errors import ValidationFailed
from milequest.domain.local_days import timezone_of
from milequest.models.leaderboards import (
    GlobalLeaderboard,
    LeaderboardEntry,
    LeaderboardRank,
    Metric,
    PublicPeriod,
    TeamBoardQuery,
    TeamLeaderboard,
    TeamPeriod,
    TeamRankQuery,
    TeamsLeaderboard,
    TeamsLeaderboardEntry,
)


def _goal_window(
    conn: Connection[Any], team_id: UUID, period: TeamPeriod, goal_id: UUID | None
) -> tuple[UUID | None, Window | None]:
    """The goal of a `goal` board and its window; 400 for a goal of another team."""
    if period != "goal":
        if goal_id is not None:
            raise ValidationFailed(
                "goalId is only for period=goal",
                [{"field": "goalId", "message": "only with period=goal"}],
            )
        return None, None
    if goal_id is None:
        active = teams_db.active_goal(conn, team_id)
        if active is None or active.goal_id is None:
            raise ValidationFailed(
                "The team has no active goal",
                [{"field": "goalId", "message": "required: the team has no active goal"}],
            )
        goal_id = active.goal_id
    goal = goals_db.get(conn, team_id, goal_id)
    if goal is None:
        raise ValidationFailed(
            "Not a goal of this team", [{"field": "goalId", "message": "not a goal of this team"}]
        )
    # A goal's window includes its end instant (the contribution rule, db.contributions); a goal
    # without a deadline runs until now.
    until = goal.end_date or datetime.now(UTC)
    return goal.id, Window(goal.start_date, until + timedelta(microseconds=1), True)


def _window(
    conn: Connection[Any], team_id: UUID, me: UUID, period: TeamPeriod, goal_id: UUID | None
) -> tuple[UUID | None, Window]:
    require_member(conn, team_id, me)
    goal, window = _goal_window(conn, team_id, period, goal_id)
    if window is None:
        window = local_window(period, timezone_of(conn, me), datetime.now(UTC))
    return goal, window


def team_board(
    conn: Connection[Any], team_id: UUID, me: UUID, q: TeamBoardQuery
) -> TeamLeaderboard:
    goal, window = _window(conn, team_id, me, q.period, q.goal_id)
    rows = boards_db.board_tops(conn, [team_id], me, window.since, window.until, q.limit)
    top = board_top(rows, q.limit, me)
    return TeamLeaderboard(
        period=q.period,
        goal_id=goal,
        start_date=window.since if window.bounded else None,
        end_date=window.until if window.bounded else None,
        total_participants=top.participants,
        entries=[entry(rank, row) for rank, row in top.entries],
    )


def team_rank(conn: Connection[Any], team_id: UUID, me: UUID, q: TeamRankQuery) -> LeaderboardRank:
    # The distances to the neighbours need every member's total.
    _, window = _window(conn, team_id, me, q.period, q.goal_id)
    entries = ranked(boards_db.member_totals(conn, [team_id], window.since, window.until))
    mine = next(e for e in entries if e.user_id == me)  # require_member: I am on the board
    above = [e.distance for e in entries if e.distance > mine.distance]
    below = [e.distance for e in entries if e.distance < mine.distance]
    return LeaderboardRank(
        period=q.period,
        rank=mine.rank,
        total_participants=len(entries),
        distance=mine.distance,
        distance_to_next_rank=round(min(above) - mine.distance, 3) if above else None,
        lead_over_next_rank=round(mine.distance - max(below), 3) if below else None,
    )


def global_board(primary: Connection[Any], period: PublicPeriod, limit: int) -> GlobalLeaderboard:
    """Read from the replica when there is one: the views are refreshed on the primary and
    replayed there, and `asOf` comes from the same database as the rows, so the answer is
    consistent even when the replica is a little behind."""
    return read(primary, lambda conn: _global_board(conn, period, limit))


def _global_board(conn: Connection[Any], period: PublicPeriod, limit: int) -> GlobalLeaderboard:
    return GlobalLeaderboard(
        period=period,
        as_of=boards_db.refreshed_at(conn, "global"),
        entries=[
            LeaderboardEntry.model_validate(r) for r in boards_db.global_board(conn, period, limit)
        ],
    )


def teams_board(
    primary: Connection[Any], period: PublicPeriod, metric: Metric, limit: int
) -> TeamsLeaderboard:
    """Read from the replica when there is one (as the global board)."""
    return read(primary, lambda conn: _teams_board(conn, period, metric, limit))


def _teams_board(
    conn: Connection[Any], period: PublicPeriod, metric: Metric, limit: int
) -> TeamsLeaderboard:
    return TeamsLeaderboard(
        period=period,
        metric=metric,
        as_of=boards_db.refreshed_at(conn, "teams"),
        entries=[
            TeamsLeaderboardEntry.model_validate(r)
            for r in boards_db.teams_board(conn, period, metric, limit)
        ],
    )


def refresh_public_boards(conn: Connection[Any]) -> dict[str, datetime]:
    """Refresh both public boards (the job); returns each board's new `asOf`. Always on the
    primary connection it is given: a replica is read-only and cannot refresh a view."""
    boards: tuple[boards_db.Board, ...] = ("global", "teams")
    return {board: boards_db.refresh(conn, board) for board in boards}


def refresh_team_pace(conn: Connection[Any]) -> datetime:
    """Refresh the teams' weekly pace that recommendations' SIMILAR_PACE reads (migration 0730,
    docs/analytics.md): a statistic refreshed on the boards' schedule, by the same job (here
    rather than in domain.recommendations, so the job imports no more than it did). Always on
    the primary; returns when."""
    return boards_db.refresh(conn, "pace")
