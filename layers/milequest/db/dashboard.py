"""The dashboard's batched reads: each is one statement for all of the user's teams, so the
dashboard costs the same number of queries whatever the number of teams (docs/dashboard.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.activities import ActivityRow
from milequest.db.contributions import counted_walks
from milequest.db.pace_sample import dense_sample
from milequest.db.rows import fetch_all, fetch_value


@dataclass(frozen=True)
class CardGoal:
    """A team's ACTIVE goal as its card needs it (the stored-goal facts of goal progress)."""

    goal_id: UUID
    goal_name: str
    goal_status: str
    route_data: dict[str, Any]
    target_distance: Decimal
    start_date: datetime
    end_date: datetime | None
    total_distance: Decimal
    total_activities: int
    last_activity_at: datetime | None
    trailing_distance: Decimal
    # The forecast's pace sample (db.pace_sample.daily_sample): metres a day, oldest first.
    sample: list[float]


@dataclass(frozen=True)
class TeamCard:
    id: UUID
    name: str
    avatar_url: str | None
    member_count: int
    role: str
    goal: CardGoal | None


_TEAM_COLUMNS = ("id", "name", "avatar_url", "member_count", "role")


def _team_card(sample_days: int, **columns: Any) -> TeamCard:
    """A row of `team_cards`: its goal columns are all NULL for a team without an ACTIVE goal;
    the sample's days with walks (`sample_ago`, `sample_distance`) become the dense sample."""
    team = {k: columns.pop(k) for k in _TEAM_COLUMNS}
    if columns["goal_id"] is None:
        return TeamCard(**team, goal=None)
    ago, metres = columns.pop("sample_ago") or [], columns.pop("sample_distance") or []
    walked = zip(ago, metres, strict=True)
    sample = dense_sample(walked, sample_days)
    return TeamCard(**team, goal=CardGoal(**columns, sample=sample))


def team_cards(
    conn: Connection[Any],
    user_id: UUID,
    trailing_since: datetime,
    sample_days: int,
) -> list[TeamCard]:
    """My live teams (newest membership first) with the ACTIVE goal, its maintained totals,
    the distance counted for it since `trailing_since` (the goal progress endpoint's pace
    input, read with the one contribution rule, db.contributions.counted_walks) and, for a team
    with an ACTIVE goal, the forecast's sample of its last `sample_days` days: /progress's
    sample (the server function `team_daily_sample`, whose plan is kept:
    docs/architecture.md#kept-plans), run per team here so the dashboard keeps its query
    count. The statement itself stays here, not in a server function, so that the rule has
    one definition."""
    return fetch_all(conn, partial(_team_card, sample_days), _TEAM_CARDS,
                     {"me": user_id, "trailing": trailing_since, "days": sample_days})  # fmt: skip


_TRAILING = counted_walks(
    "g.team_id", "greatest(g.start_date, %(trailing)s)", "NULL::timestamptz", "g.end_date"
)
_TEAM_CARDS = f"""
    SELECT t.id, t.name::text AS name, t.avatar_url,
           (SELECT count(*) FROM team_members c
             WHERE c.team_id = t.id AND c.left_at IS NULL)::int AS member_count,
           me.role, g.id AS goal_id, g.name AS goal_name, g.status AS goal_status,
           g.route_data, g.target_distance, g.start_date, g.end_date,
           coalesce(p.total_distance, 0) AS total_distance,
           coalesce(p.total_activities, 0) AS total_activities, p.last_activity_at,
           coalesce(r.trailing, 0) AS trailing_distance,
           f.sample_ago, f.sample_distance
      FROM team_members me
      JOIN teams t ON t.id = me.team_id AND t.deleted_at IS NULL
      LEFT JOIN team_goals g ON g.team_id = t.id AND g.status = 'ACTIVE'
      LEFT JOIN team_progress p ON p.goal_id = g.id
      LEFT JOIN LATERAL (SELECT sum(c.distance) AS trailing FROM ({_TRAILING}) c) r
             ON g.id IS NOT NULL
      LEFT JOIN LATERAL (
          SELECT array_agg(s.ago) AS sample_ago, array_agg(s.distance) AS sample_distance
            FROM team_daily_sample(t.id, %(days)s) s
           WHERE g.id IS NOT NULL
      ) f ON true
     WHERE me.user_id = %(me)s AND me.left_at IS NULL
     ORDER BY me.joined_at DESC, t.id DESC"""


@dataclass(frozen=True)
class FeedRow(ActivityRow):
    """An activity of the merged team feed, with its author's name and avatar."""

    user_name: str
    user_avatar_url: str | None


# The feed looks at this many recent days first: in a team that walks, its page is there.
FEED_WINDOW_DAYS = 2


def recent_feed(conn: Connection[Any], user_id: UUID, limit: int) -> list[FeedRow]:
    """The newest items of the union of my live teams' feeds: teammates' non-private walks made
    while they were members, and my own (private included) made while I was one.

    The last FEED_WINDOW_DAYS are read first, which keeps each member's scan to a few entries
    in a big team; only when they hold fewer than `limit` items is the whole history read. The
    answer is the same: fewer than `limit` recent items are all the recent ones, and the full
    read returns them with the newest older ones."""
    rows = _feed(conn, user_id, limit, timedelta(days=FEED_WINDOW_DAYS))
    return rows if len(rows) >= limit else _feed(conn, user_id, limit, None)


def _feed(
    conn: Connection[Any], user_id: UUID, limit: int, window: timedelta | None
) -> list[FeedRow]:
    """Each membership row contributes at most `limit` keys (activity_at, id), within `window`
    of now when there is one, from an index-only scan of activities_by_user_time (it includes
    is_private); only the best `limit` of them are read as rows and joined to their walker's
    name. The statement is the server function `dashboard_feed` (migrations/0840)."""
    return fetch_all(
        conn,
        FeedRow,
        "SELECT * FROM dashboard_feed(%s, %s, %s)",
        (user_id, limit, window),
    )


def unread_count(conn: Connection[Any], user_id: UUID) -> int:
    """Unread in-app notifications (served by the notifications_unread partial index)."""
    value = fetch_value(
        conn,
        """SELECT count(*) FROM notifications
           WHERE user_id = %s AND channel = 'REALTIME' AND read_at IS NULL""",
        (user_id,),
    )
    return int(value)
