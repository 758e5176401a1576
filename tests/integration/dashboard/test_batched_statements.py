"""The dashboard's merged feed (keys first, rows for the page only) and the weekly member totals
(a users lookup per member) answer as the statements they replaced did, on a data set with
shared teammates, left and rejoined memberships, private walks, a deleted team and a deleted
member."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from milequest.db import dashboard as dashboard_db
from milequest.db import leaderboards as boards_db
from milequest.domain.board_ranking import ranked_rows
from tests.integration.leaderboards.conftest import add_walk, ago
from tests.support.api import TestUser

FEED_BEFORE = """
    WITH spans AS (
        SELECT DISTINCT h.user_id, h.joined_at, h.left_at
        FROM team_members mine
        JOIN teams t ON t.id = mine.team_id AND t.deleted_at IS NULL
        JOIN team_members h ON h.team_id = mine.team_id
        WHERE mine.user_id = %(me)s AND mine.left_at IS NULL
    ), picked AS (
        SELECT DISTINCT ON (x.id) x.*
        FROM spans s
        CROSS JOIN LATERAL (
            SELECT a.* FROM activities a
            WHERE a.user_id = s.user_id AND a.activity_at >= s.joined_at
              AND (s.left_at IS NULL OR a.activity_at < s.left_at)
              AND (NOT a.is_private OR a.user_id = %(me)s)
            ORDER BY a.activity_at DESC, a.id DESC
            LIMIT %(limit)s
        ) x
    )
    SELECT p.id FROM picked p JOIN users u ON u.id = p.user_id
    ORDER BY p.activity_at DESC, p.id DESC
    LIMIT %(limit)s"""

TOTALS_BEFORE = """
    SELECT m.team_id, m.user_id, u.name, u.avatar_url,
           coalesce(s.distance, 0) AS distance, coalesce(s.activities, 0) AS activities
    FROM team_members m
    JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL
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


def _team(db: Any, members: list[tuple[TestUser, datetime, datetime | None]]) -> Any:
    team = db.execute(
        "INSERT INTO teams (name, invite_code) VALUES (gen_random_uuid()::text, "
        "gen_random_uuid()::text) RETURNING id"
    ).fetchone()[0]
    for user, joined, left in members:
        db.execute(
            "INSERT INTO team_members (team_id, user_id, joined_at, left_at) VALUES (%s,%s,%s,%s)",
            (team, user.id, joined, left),
        )
    return team


def _data_set(make_user, db) -> tuple[TestUser, list[Any]]:
    me, bob, carol, dave, erin = (make_user(n) for n in ("Me", "Bob", "Carol", "Dave", "Erin"))
    long_ago, now = ago(days=90), datetime.now(UTC)
    a = _team(db, [(me, long_ago, None), (bob, long_ago, None), (carol, long_ago, ago(days=2))])
    b = _team(
        db,
        [
            (me, long_ago, None),
            (bob, long_ago, None),
            (dave, ago(days=3), None),  # walks from before he joined are not the team's
            (carol, long_ago, ago(days=20)),  # left, then came back
            (carol, ago(days=10), None),
            (erin, long_ago, None),  # deleted below
        ],
    )
    gone = _team(db, [(me, long_ago, None), (erin, long_ago, None)])
    db.execute("UPDATE teams SET deleted_at = now() WHERE id = %s", (gone,))
    for hours in range(0, 24 * 30, 9):
        at = now - timedelta(hours=hours, minutes=1)
        add_walk(db, bob, 1000 + hours, at, private=hours % 4 == 0)
        add_walk(db, carol, 2000 + hours, at - timedelta(minutes=5))
        add_walk(db, dave, 3000 + hours, at - timedelta(minutes=7))
        add_walk(db, erin, 4000 + hours, at - timedelta(minutes=3))
        if hours % 27 == 0:
            add_walk(db, me, 500 + hours, at, private=hours % 2 == 0)  # a tie with Bob's
    db.execute("UPDATE users SET deleted_at = now() WHERE id = %s", (erin.id,))
    return me, [a, b]


def test_the_merged_feed_is_the_one_of_the_statement_it_replaced(make_user, db) -> None:
    me, _ = _data_set(make_user, db)
    for limit in (1, 3, 10, 25, 200):
        before = db.execute(FEED_BEFORE, {"me": me.id, "limit": limit}).fetchall()
        after = dashboard_db.recent_feed(db, me.id, limit)
        assert [r.id for r in after] == [r[0] for r in before], limit
    assert len(after) > 100 and any(r.is_private for r in after)


def test_the_member_totals_are_the_ones_of_the_statement_they_replaced(make_user, db) -> None:
    _, teams = _data_set(make_user, db)
    for since, until in (
        (ago(days=7), ago(days=0)),
        (ago(days=25), ago(days=1)),
        (ago(days=400), ago(days=-1)),
    ):
        params = {"teams": teams, "since": since, "until": until}
        before = sorted(tuple(r) for r in db.execute(TOTALS_BEFORE, params).fetchall())
        rows = boards_db.member_totals(db, teams, since, until)
        after = sorted(
            (r.team_id, r.user_id, r.name, r.avatar_url, r.distance, r.activities) for r in rows
        )
        assert after == before
        assert len(after) == 6  # Erin's account is deleted


def test_the_board_tops_give_the_full_boards_first_entries_and_every_members_rank(
    make_user, db
) -> None:
    """Ties on distance (ordered by name only in Python) at the cut and below it, a member with
    no walk this week, across two teams: for every member as the caller and every board size,
    the top entries and my rank are those of ranking every member."""
    names = ("Zed", "amy", "Bea", "cal", "Dan", "eve")
    users = [make_user(n) for n in names]
    long_ago = ago(days=90)
    a = _team(db, [(u, long_ago, None) for u in users])
    b = _team(db, [(u, long_ago, None) for u in users[:3]])
    for user, distance in zip(users, (3000, 5000, 3000, 3000, 1000, 0), strict=True):
        if distance:
            add_walk(db, user, distance, ago(hours=1))
    since, until = ago(days=7), ago(days=-1)
    full = boards_db.member_totals(db, [a, b], since, until)
    for team in (a, b):
        board = ranked_rows([r for r in full if r.team_id == team])
        for me in users[: len(board)]:
            for size in (1, 2, 3, 4, 10):
                rows = boards_db.board_tops(db, [team], me.id, since, until, size)
                tops = ranked_rows(rows)[:size]
                assert [(rank, r.user_id) for rank, r in tops] == [
                    (rank, r.user_id) for rank, r in board[:size]
                ]
                mine = next(rank for rank, r in board if r.user_id == me.id)
                assert {r.rank for r in rows if r.user_id == me.id} == {mine}
                assert {r.participants for r in rows} == {len(board)}
                assert len(rows) <= max(size, 4) + 1  # the cut's ties and me, not everyone
