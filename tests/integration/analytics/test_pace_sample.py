"""The forecast's pace sample (docs/analytics.md) is read from the per-day totals the write path
keeps: on walks made, edited and deleted through the API, across timezones and a timezone
change, it is the answer of the statement over the walks themselves that it replaced, and the
dashboard's card carries the same sample as /progress."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from milequest.db import dashboard as dashboard_db
from milequest.db.pace_sample import daily_sample
from milequest.domain.forecast import SAMPLE_DAYS
from tests.integration.activities.conftest import walk
from tests.integration.goals.conftest import GoalTeam, create_goal
from tests.support.api import TestUser, call

# The sample's statement before it read user_daily_totals: every walk of the team's current
# (not deleted) members, on its walker's local date.
OVER_THE_WALKS = """
    WITH walks AS (
        SELECT a.distance,
               (now() AT TIME ZONE u.timezone)::date
                   - (a.activity_at AT TIME ZONE u.timezone)::date AS ago
          FROM team_members m
          JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL
          JOIN activities a ON a.user_id = m.user_id
                           AND a.activity_at > now() - make_interval(days => %(days)s + 1)
         WHERE m.team_id = %(team)s AND m.left_at IS NULL)
    SELECT d.ago, coalesce(sum(w.distance), 0) AS distance
      FROM generate_series(0, %(days)s - 1) AS d(ago)
      LEFT JOIN walks w ON w.ago = d.ago
     GROUP BY d.ago ORDER BY d.ago DESC"""


def _log(user: TestUser, distance: float, at: datetime, private: bool = False) -> str:
    r = call("POST", "/activities", user=user, json_body=walk(distance, at=at, isPrivate=private))
    assert r.status == 201, r.body
    return str(r.data["activity"]["id"])


def _around_local_midnights(user: TestUser, tz: str, distance: float) -> list[str]:
    """A walk a minute ago (today, whatever the hour), then walks just after and just before
    local midnight on today and on the days at both ends of the window (27 days ago is in it,
    28 is not), and one mid-window. Those of today that are still to come are not logged: in
    the first 20 minutes of a local day only the first walk is today's (until 2026-12-07 the
    test had none then, and its check that the data reaches today failed at that hour)."""
    zone = ZoneInfo(tz)
    now = datetime.now(UTC) - timedelta(minutes=1)
    today = now.astimezone(zone).date()
    ids = [_log(user, distance + 0.25, now)]
    for back in (0, 1, 13, 27, 28, 29):
        for clock in (time(0, 20), time(23, 40)):
            at = datetime.combine(today - timedelta(days=back), clock, zone)
            if at <= now:
                ids.append(_log(user, distance + back, at, private=back == 13))
    return ids


def _team(db: Any, admin: TestUser, members: list[tuple[TestUser, int]]) -> GoalTeam:
    """A team of `admin` (a member for 60 days) and `members`, each a member for that many days
    (a member's walks from before they joined are in the sample too)."""
    suffix = uuid.uuid4().hex
    team_id = db.execute(
        "INSERT INTO teams (name, invite_code, created_by) VALUES (%s, %s, %s) RETURNING id",
        (f"Pace {suffix[:12]}", suffix[:20], admin.id),
    ).fetchone()[0]
    for user, days, role in [(admin, 60, "ADMIN"), *((u, d, "MEMBER") for u, d in members)]:
        db.execute(
            "INSERT INTO team_members (team_id, user_id, role, joined_at) "
            "VALUES (%s, %s, %s, now() - make_interval(days => %s))",
            (team_id, user.id, role, days),
        )
    return GoalTeam(id=str(team_id), admin=admin, member=members[0][0])


def test_the_sample_is_the_one_over_the_walks(make_user, db) -> None:
    tokyo, la, lisbon = make_user("Tokyo"), make_user("LA"), make_user("Lisbon")
    former, gone = make_user("Former"), make_user("Gone")
    for user, tz in ((tokyo, "Asia/Tokyo"), (la, "America/Los_Angeles")):
        db.execute("UPDATE users SET timezone = %s WHERE id = %s", (tz, user.id))
    db.execute("UPDATE users SET timezone = 'Europe/Lisbon' WHERE id = %s", (lisbon.id,))
    team = _team(db, tokyo, [(la, 3), (lisbon, 40), (former, 40), (gone, 40)])
    tokyo_walks = _around_local_midnights(tokyo, "Asia/Tokyo", 4000)
    la_walks = _around_local_midnights(la, "America/Los_Angeles", 2500)
    _around_local_midnights(lisbon, "Europe/Lisbon", 7000.5)
    _around_local_midnights(former, "UTC", 9000)
    _around_local_midnights(gone, "UTC", 11_000)
    # Edits move a walk's distance and its day; a delete takes one out.
    moved = datetime.now(UTC) - timedelta(days=6, hours=3)
    r = call(
        "PATCH",
        f"/activities/{tokyo_walks[0]}",
        user=tokyo,
        json_body={"distance": 1234.5, "timestamp": moved.isoformat()},
    )
    assert r.status == 200, r.body
    assert call("DELETE", f"/activities/{la_walks[-1]}", user=la).status == 200
    # LA moves to Kolkata: their walks fall on other local days (the totals are rebuilt).
    r = call("PATCH", "/users/me", user=la, json_body={"timezone": "Asia/Kolkata"})
    assert r.status == 200, r.body
    db.execute(
        "UPDATE team_members SET left_at = now() - interval '1 day' "
        "WHERE team_id = %s AND user_id = %s",
        (team.id, former.id),
    )
    db.execute("UPDATE users SET deleted_at = now() WHERE id = %s", (gone.id,))

    params = {"team": team.id, "days": SAMPLE_DAYS}
    expected = [float(row[1]) for row in db.execute(OVER_THE_WALKS, params).fetchall()]
    sample = daily_sample(db, uuid.UUID(team.id), SAMPLE_DAYS)

    assert sample == expected
    # the data reaches both ends of the window and has days without walks
    assert len(sample) == SAMPLE_DAYS and sample[0] > 0 and sample[-1] > 0 and 0.0 in sample

    # The dashboard's card runs the same statement per team.
    create_goal(
        team, status="ACTIVE", startDate=(datetime.now(UTC) - timedelta(days=3)).isoformat()
    )
    now = datetime.now(UTC)
    (card,) = dashboard_db.team_cards(db, tokyo.id, now - timedelta(days=14), SAMPLE_DAYS)
    assert card.goal is not None and card.goal.sample == expected


def test_a_team_without_walks_has_an_all_zero_sample(make_user, db) -> None:
    team = _team(db, make_user("Idle"), [(make_user("Idler"), 10)])
    assert daily_sample(db, uuid.UUID(team.id), SAMPLE_DAYS) == [0.0] * SAMPLE_DAYS
    create_goal(team, status="ACTIVE", startDate=datetime.now(UTC).isoformat())
    now = datetime.now(UTC)
    (card,) = dashboard_db.team_cards(db, team.admin.id, now - timedelta(days=14), SAMPLE_DAYS)
    assert card.goal is not None and card.goal.sample == [0.0] * SAMPLE_DAYS
