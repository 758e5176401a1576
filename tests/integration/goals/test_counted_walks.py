"""The goal reads' pace sums and daily series count exactly what the contribution rule counts
(db.contributions, written out as RULE below) through a membership history with every case in it:
members who left, who left and re-joined, overlapping rows, a deleted account, private walks,
walks before the goal started and walks of outsiders."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from milequest.db import contributions
from milequest.db import goals as goals_db
from milequest.db import team_progress as progress_db
from tests.integration.goals.conftest import GoalTeam, create_goal
from tests.support.api import call

NOW = datetime.now(UTC)
# The contribution rule as it reads (docs/domain.md#aggregates): the oracle the walker-by-walker
# reads (db.contributions.counted_walks and its users) must equal.
RULE = """
    SELECT a.* FROM activities a
    JOIN team_goals g ON g.id = %(goal)s
    WHERE a.activity_at >= g.start_date
      AND (g.end_date IS NULL OR a.activity_at <= g.end_date)
      AND EXISTS (SELECT 1 FROM team_members m
                  WHERE m.team_id = g.team_id AND m.user_id = a.user_id
                    AND m.joined_at <= a.activity_at
                    AND (m.left_at IS NULL OR m.left_at > a.activity_at))
"""


def _days(n: float) -> datetime:
    return NOW - timedelta(days=n)


def _member(db, team: GoalTeam, user_id: UUID, joined: float, left: float | None) -> None:
    db.execute(
        "INSERT INTO team_members (team_id, user_id, joined_at, left_at) VALUES (%s, %s, %s, %s)",
        (team.id, user_id, _days(joined), None if left is None else _days(left)),
    )


def _walk(db, user_id: UUID, metres: int, days_ago: float, private: bool = False) -> None:
    db.execute(
        """INSERT INTO activities (user_id, distance, duration, activity_at, is_private)
           VALUES (%s, %s, %s, %s, %s)""",
        (user_id, metres, metres, _days(days_ago), private),
    )


@pytest.fixture
def history(team, db, make_user) -> goals_db.GoalRow:
    """A 20-day-old ACTIVE goal and a team history that exercises every membership rule."""
    goal = create_goal(team, status="ACTIVE", startDate=_days(20).isoformat())
    leaver, rejoiner, doubled, deleted, outsider = (
        make_user(n) for n in ("Leaver", "Rejoiner", "Doubled", "Deleted", "Outsider")
    )
    _member(db, team, leaver.id, 40, 5)
    _member(db, team, rejoiner.id, 30, 12)
    _member(db, team, rejoiner.id, 8, None)
    _member(db, team, doubled.id, 25, 6)  # overlapping rows: each walk still counts once
    _member(db, team, doubled.id, 20, None)
    _member(db, team, deleted.id, 19, 4)
    db.execute("UPDATE users SET deleted_at = now() WHERE id = %s", (deleted.id,))
    walks = [
        (leaver.id, 1100, 10),  # while a member: counts
        (leaver.id, 1200, 2),  # after leaving: not counted
        (rejoiner.id, 1300, 15),  # first membership: counts
        (rejoiner.id, 1400, 10),  # between memberships: not counted
        (rejoiner.id, 1500, 3),  # second membership: counts
        (doubled.id, 1600, 15),
        (doubled.id, 1700, 1),
        (deleted.id, 1800, 9),  # the account is gone, the walk made for the team stays
        (team.member.id, 1900, 25),  # before the goal started
        (team.member.id, 2000, 13.5),
        (team.member.id, 2100, 6.5),
        (team.admin.id, 2200, 0.5),
        (outsider.id, 2300, 1),  # never a member
    ]
    for user_id, metres, days_ago in walks:
        _walk(db, user_id, metres, days_ago)
    _walk(db, team.admin.id, 2400, 2, private=True)  # private walks count for the team
    row = goals_db.get(db, UUID(team.id), UUID(goal["id"]))
    assert row is not None
    return row


def _counted(db, goal_id: UUID) -> list[tuple[datetime, Decimal, UUID]]:
    rows = db.execute(
        f"SELECT c.activity_at, c.distance, c.user_id FROM ({RULE}) c",
        {"goal": goal_id},
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def test_pace_sums_equal_the_contribution_rule(history, db) -> None:
    counted = _counted(db, history.id)
    trailing, week = NOW - timedelta(days=14), NOW - timedelta(days=7)

    recent = goals_db.recent_distance(db, history, trailing, week)

    assert recent.trailing == sum(d for at, d, _ in counted if at >= trailing)
    assert recent.last_week == sum(d for at, d, _ in counted if at >= week)
    assert recent.trailing == 1100 + 1500 + 1700 + 1800 + 2000 + 2100 + 2200 + 2400
    assert recent.last_week == 1500 + 1700 + 2100 + 2200 + 2400


def test_daily_series_equals_the_contribution_rule(history, db) -> None:
    counted = _counted(db, history.id)
    last = NOW.date()
    first = last - timedelta(days=29)
    per_day: dict[object, list[tuple[Decimal, UUID]]] = defaultdict(list)
    for at, distance, user_id in counted:
        per_day[at.astimezone(UTC).date()].append((distance, user_id))

    rows = goals_db.daily(db, history, first, last)

    assert [r.date for r in rows] == [first + timedelta(days=i) for i in range(30)]
    for r in rows:
        walks = per_day.get(r.date, [])
        assert (r.distance, r.activities) == (sum(d for d, _ in walks), len(walks))
        assert r.active_members == len({u for _, u in walks})
    assert sum(r.activities for r in rows) == len(counted) == 10


def test_the_daily_route_answers_the_same_series(history, team) -> None:
    path = f"/teams/{team.id}/goals/{history.id}/daily"
    days = call("GET", path, user=team.member, query={"days": 30}).data

    assert len(days) == 30 and sum(d["activities"] for d in days) == 10
    counted = (1100, 1300, 1500, 1600, 1700, 1800, 2000, 2100, 2200, 2400)
    assert sum(d["distance"] for d in days) == sum(counted)


def test_completion_contributors_equal_the_contribution_rule(history, db) -> None:
    """The final standings a completed goal records (db.team_progress.contributors, read under
    the progress row's lock) sum, walker by walker, exactly the walks the rule counts."""
    per_user: dict[UUID, list[Decimal]] = defaultdict(list)
    for _, distance, user_id in _counted(db, history.id):
        per_user[user_id].append(distance)
    expected = sorted(
        ((u, sum(d), len(d)) for u, d in per_user.items()), key=lambda c: (-c[1], str(c[0]))
    )

    ranked = progress_db.contributors(db, history.id)

    assert [(c.user_id, c.distance, c.activities) for c in ranked] == expected
    assert len(ranked) == 6 and sum(c.activities for c in ranked) == 10  # the outsider has none


def test_the_recount_equals_the_contribution_rule(history, db) -> None:
    """A goal's recount (its activation's backfill, the reconciliation's check) is the rule's
    total, count and latest walk."""
    counted = _counted(db, history.id)

    total, count, last = contributions.recomputed(db, history.id)

    assert (total, count) == (sum(d for _, d, _ in counted), len(counted)) == (Decimal(17700), 10)
    assert last == max(at for at, _, _ in counted)
