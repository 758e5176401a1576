"""Leaderboard reads (migrations/0300): live team boards, the public boards' materialized
views and their refresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_all, fetch_value

# What refresh_leaderboard() refreshes: the two public boards and, since migration 0730, the
# recommendations' team pace (refreshed on the same schedule, not a board of its own).
Board = Literal["global", "teams", "pace"]


@dataclass(frozen=True, slots=True)
class MemberTotal:
    team_id: UUID
    user_id: UUID
    name: str
    avatar_url: str | None
    distance: Decimal
    activities: int


# Every live member of the teams in %(teams)s with their walks in [%(since)s, %(until)s).
_MEMBER_TOTALS = """
    SELECT m.team_id, m.user_id, u.name, u.avatar_url,
           coalesce(s.distance, 0) AS distance, coalesce(s.activities, 0) AS activities
    FROM team_members m
    -- a key lookup per member (OFFSET 0 keeps it from being flattened into a join,
    -- where the planner hashes the whole users table instead)
    CROSS JOIN LATERAL (
        SELECT u.name, u.avatar_url FROM users u
        WHERE u.id = m.user_id AND u.deleted_at IS NULL OFFSET 0
    ) u
    LEFT JOIN LATERAL (
        SELECT sum(a.distance) AS distance, count(*)::int AS activities
        FROM team_members h
        JOIN activities a ON a.user_id = h.user_id
             AND a.activity_at >= greatest(h.joined_at, %(since)s)
             AND a.activity_at < %(until)s
             AND (h.left_at IS NULL OR a.activity_at < h.left_at)
        WHERE h.team_id = m.team_id AND h.user_id = m.user_id
    ) s ON true
    WHERE m.team_id = ANY(%(teams)s) AND m.left_at IS NULL"""


def member_totals(
    conn: Connection[Any], team_ids: list[UUID], since: datetime, until: datetime
) -> list[MemberTotal]:
    """Every live member of the teams with their walks in [since, until), private ones
    included, counted only while they were members (zeros included)."""
    return fetch_all(
        conn, MemberTotal, _MEMBER_TOTALS, {"teams": team_ids, "since": since, "until": until}
    )


@dataclass(frozen=True, slots=True)
class TopTotal(MemberTotal):
    # Standard competition rank by distance alone (1 + members strictly ahead) and the
    # number of members on the team's board.
    rank: int
    participants: int


def board_tops(
    conn: Connection[Any],
    team_ids: list[UUID],
    me: UUID,
    since: datetime,
    until: datetime,
    top: int,
) -> list[TopTotal]:
    """`member_totals` cut to what a board's first `top` entries and my place on it need:
    the members whose competition rank is at most `top`, and my own row.

    Members tied on distance are ordered by name (casefolded) in Python
    (domain.board_ranking.ranked_rows), an order SQL cannot reproduce exactly, so every member
    tied within the top is returned and the caller sorts them: any of the first `top` entries
    of the full board has a rank of at most `top`, and sorting that subset by the full board's
    key gives the same first entries. A team of hundreds sends a dozen rows, not every member
    (all of them only when most are tied, as at the start of a week with no walks yet)."""
    return fetch_all(
        conn,
        TopTotal,
        f"""SELECT r.team_id, r.user_id, r.name, r.avatar_url, r.distance, r.activities,
                   r.rank, r.participants
            FROM (SELECT t.*,
                         rank() OVER (PARTITION BY t.team_id ORDER BY t.distance DESC)::int
                             AS rank,
                         count(*) OVER (PARTITION BY t.team_id)::int AS participants
                  FROM ({_MEMBER_TOTALS}) t) r
            WHERE r.rank <= %(top)s OR r.user_id = %(me)s""",
        {"teams": team_ids, "since": since, "until": until, "me": me, "top": top},
    )


@dataclass(frozen=True, slots=True)
class GlobalRow:
    rank: int
    user_id: UUID
    name: str
    avatar_url: str | None
    distance: Decimal
    activities: int


def global_board(conn: Connection[Any], period: str, limit: int) -> list[GlobalRow]:
    # Rank over live users only, so a deletion since the last refresh leaves no gap.
    return fetch_all(
        conn,
        GlobalRow,
        """SELECT rank() OVER (ORDER BY b.distance DESC)::int AS rank, b.user_id, u.name,
                  u.avatar_url, b.distance, b.activities
           FROM leaderboard_global b
           JOIN users u ON u.id = b.user_id AND u.deleted_at IS NULL
           WHERE b.period = %s
           ORDER BY b.distance DESC, u.name, b.user_id
           LIMIT %s""",
        (period, limit),
    )


@dataclass(frozen=True, slots=True)
class TeamRow:
    rank: int
    team_id: UUID
    name: str
    avatar_url: str | None
    member_count: int
    active_members: int
    total_distance: Decimal
    average_distance: Decimal
    activities: int


_TEAMS_ORDER = {
    "total": "b.total_distance DESC",
    "average": "b.average_distance DESC",
}


def teams_board(conn: Connection[Any], period: str, metric: str, limit: int) -> list[TeamRow]:
    """Public live teams (checked again at read time: a team made private or deleted since the
    refresh is gone at once), ranked by total or by average per active member."""
    order = _TEAMS_ORDER[metric]  # one of two fixed fragments, never input text
    return fetch_all(
        conn,
        TeamRow,
        f"""SELECT rank() OVER (ORDER BY {order})::int AS rank, b.team_id, t.name::text AS name,
                   t.avatar_url,
                   (SELECT count(*) FROM team_members m
                     WHERE m.team_id = t.id AND m.left_at IS NULL)::int AS member_count,
                   b.active_members, b.total_distance, b.average_distance, b.activities
            FROM leaderboard_teams b
            JOIN teams t ON t.id = b.team_id AND t.is_public AND t.deleted_at IS NULL
            WHERE b.period = %s
            ORDER BY {order}, t.name, b.team_id
            LIMIT %s""",
        (period, limit),
    )


def refreshed_at(conn: Connection[Any], board: Board) -> datetime:
    value: datetime = fetch_value(
        conn, "SELECT refreshed_at FROM leaderboard_refreshes WHERE board = %s", (board,)
    )
    return value


def refresh(conn: Connection[Any], board: Board) -> datetime:
    """Refresh one board CONCURRENTLY (readers never wait) and record when, in one transaction
    (the owner-rights function of migrations/0300, 0730); returns the new `asOf`."""
    value: datetime = fetch_value(conn, "SELECT refresh_leaderboard(%s)", (board,))
    return value
