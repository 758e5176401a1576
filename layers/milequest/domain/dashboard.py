"""The dashboard (docs/dashboard.md): the home screen in one call, at a fixed
number of queries whatever the number of teams or activities.

Reused as they are: the user row, `/users/me/stats` (its queries do not depend on teams), goal
progress arithmetic (`standing`, the route-free figures of `compute_progress`, so the card
agrees with `/goals/{id}/progress`) and team-board ranking. Batched here: team cards, every
team's weekly board, the merged feed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import dashboard as dashboard_db
from milequest.db import leaderboards as boards_db
from milequest.db import users as users_db
from milequest.domain import background
from milequest.domain.activity_reads import to_model, user_stats
from milequest.domain.board_ranking import BoardTop, board_top, entry, local_window
from milequest.domain.errors import Unauthorized
from milequest.domain.forecast import SAMPLE_DAYS
from milequest.domain.goal_forecast import active_forecast
from milequest.domain.goal_progress import TRAILING_DAYS, stored_standing
from milequest.models.dashboard import (
    Dashboard,
    DashboardBestDay,
    DashboardBoard,
    DashboardTeam,
    FeedActivity,
    GoalCard,
    MyRank,
    PersonalStats,
    UnreadNotifications,
)
from milequest.models.forecast import Forecast

RECENT_ACTIVITIES = 10
BOARD_SIZE = 10


def _personal_stats(conn: Connection[Any], me: UUID) -> PersonalStats:
    stats = user_stats(conn, me)
    best = stats.best_day
    fields = stats.model_dump(exclude={"best_day"})
    return PersonalStats(
        **fields,
        best_day=DashboardBestDay(date=best.date, distance=best.distance)
        if best
        else DashboardBestDay(),
    )


def _forecasts(cards: list[dashboard_db.TeamCard], now: datetime) -> dict[UUID, Forecast | None]:
    return {
        c.goal.goal_id: active_forecast(c.goal.goal_id, c.goal, c.goal.sample, now)
        for c in cards
        if c.goal is not None
    }


def _goal_card(
    goal: dashboard_db.CardGoal | None, now: datetime, forecasts: dict[UUID, Forecast | None]
) -> GoalCard | None:
    if goal is None:
        return None
    progress = stored_standing(goal, now=now, trailing=goal.trailing_distance)
    return GoalCard(
        goal_id=goal.goal_id,
        goal_name=goal.goal_name,
        status=goal.goal_status,
        current_distance=round(progress.total_distance, 3),
        target_distance=round(progress.target_distance, 3),
        percent_complete=progress.percent_complete,
        days_remaining=progress.days_remaining,
        is_on_track=progress.on_track,
        start_date=goal.start_date,
        end_date=goal.end_date,
        forecast=forecasts[goal.goal_id],
    )


def _boards(rows: list[boards_db.TopTotal], teams: list[UUID], me: UUID) -> dict[UUID, BoardTop]:
    """Each team's weekly board top and my place on it, from `board_tops`' rows."""
    by_team: dict[UUID, list[boards_db.TopTotal]] = defaultdict(list)
    for row in rows:
        by_team[row.team_id].append(row)
    return {team: board_top(by_team[team], BOARD_SIZE, me) for team in teams}


def _feed(conn: Connection[Any], me: UUID) -> list[FeedActivity]:
    # Private rows here are only my own (db.dashboard.recent_feed), so notes are shown as stored.
    return [
        FeedActivity(**dict(to_model(r)), user_name=r.user_name, user_avatar_url=r.user_avatar_url)
        for r in dashboard_db.recent_feed(conn, me, RECENT_ACTIVITIES)
    ]


def dashboard(conn: Connection[Any], me: UUID) -> Dashboard:
    user = users_db.live_user(conn, me)
    if user is None:
        raise Unauthorized("This account cannot be used")
    now = datetime.now(UTC)
    cards = dashboard_db.team_cards(conn, me, now - timedelta(days=TRAILING_DAYS), SAMPLE_DAYS)
    # The forecasts (CPU only) run while the statements below wait on the database.
    pending = background.start(_forecasts, cards, now)
    week = local_window("week", user.timezone, now)
    team_ids = [c.id for c in cards]
    tops = boards_db.board_tops(conn, team_ids, me, week.since, week.until, BOARD_SIZE)
    boards = _boards(tops, team_ids, me)
    personal = _personal_stats(conn, me)
    feed = _feed(conn, me)
    unread = dashboard_db.unread_count(conn, me)
    forecasts = pending.result()
    return Dashboard(
        user=user,
        personal_stats=personal,
        teams=[
            # The card's team columns as they are, its goal as the progress card.
            DashboardTeam.model_validate(
                {
                    **vars(c),
                    "progress": _goal_card(c.goal, now, forecasts),
                    "my_rank": MyRank(
                        rank=boards[c.id].my_rank, total_participants=boards[c.id].participants
                    ),
                }
            )
            for c in cards
        ],
        recent_activities=feed,
        team_leaderboards=[
            DashboardBoard(
                team_id=c.id,
                team_name=c.name,
                members=[entry(rank, row) for rank, row in boards[c.id].entries],
            )
            for c in cards
        ],
        notifications=UnreadNotifications(unread_count=unread),
    )
