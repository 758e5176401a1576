"""The per-day totals behind GET /users/me/stats: best day, this week and this month follow
every create, edit and delete exactly, move with a timezone change, are repaired by the
reconciliation job, and are backfilled by their migration."""

from __future__ import annotations

import shutil
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from functions.jobs.reconcile_aggregates import handler as reconcile_job
from milequest.db.migrations import apply_migrations, migrations_dir
from milequest.domain.reconciliation import reconcile_days
from tests.integration.activities.conftest import walk
from tests.support.api import call


def _expected(walks: dict[str, tuple[float, datetime]], tz: str) -> dict:
    """Best day, this week and this month computed here from the walks the test logged."""
    zone = ZoneInfo(tz)
    days: dict[date, float] = defaultdict(float)
    counts: dict[date, int] = defaultdict(int)
    for distance, at in walks.values():
        day = at.astimezone(zone).date()
        days[day] += distance
        counts[day] += 1
    today = datetime.now(UTC).astimezone(zone).date()
    week, month = today - timedelta(days=today.weekday()), today.replace(day=1)
    best = max(days.items(), key=lambda kv: (kv[1], kv[0]), default=None)
    return {
        "thisWeek": {
            "distance": sum(v for d, v in days.items() if week <= d <= today),
            "activities": sum(v for d, v in counts.items() if week <= d <= today),
        },
        "thisMonth": {
            "distance": sum(v for d, v in days.items() if month <= d <= today),
            "activities": sum(v for d, v in counts.items() if month <= d <= today),
        },
        "bestDay": {"date": best[0].isoformat(), "distance": best[1]} if best else None,
    }


def _periods(user) -> dict:
    stats = call("GET", "/users/me/stats", user=user).data
    return {k: stats[k] for k in ("thisWeek", "thisMonth", "bestDay")}


def test_stats_periods_follow_creates_edits_and_deletes(make_user, set_timezone, db) -> None:
    # Given a walker in New York with walks today, yesterday, a week and two months ago
    alice = make_user("Alice")
    set_timezone(alice, "America/New_York")
    now = datetime.now(UTC) - timedelta(minutes=2)
    walks: dict[str, tuple[float, datetime]] = {}
    for back, distance in ((0, 3000), (1, 4000), (1, 1500), (7, 6000), (60, 9000)):
        at = now - timedelta(days=back)
        made = call("POST", "/activities", user=alice, json_body=walk(distance, at=at)).data
        walks[made["activity"]["id"]] = (distance, at)
    assert _periods(alice) == _expected(walks, "America/New_York")

    # When one walk grows, one moves to another day and one is deleted
    grown, moved, gone = list(walks)[:3]
    call("PATCH", f"/activities/{grown}", user=alice, json_body={"distance": 12_000})
    walks[grown] = (12_000, walks[grown][1])
    new_at = now - timedelta(days=20)
    call("PATCH", f"/activities/{moved}", user=alice, json_body={"timestamp": new_at.isoformat()})
    walks[moved] = (walks[moved][0], new_at)
    assert call("DELETE", f"/activities/{gone}", user=alice).status == 200
    del walks[gone]

    # Then the stats follow exactly, and the stored days equal a recomputation
    assert _periods(alice) == _expected(walks, "America/New_York")
    assert reconcile_days(db, alice.id, repair=False) is False
    assert call("DELETE", f"/activities/{grown}", user=alice).status == 200
    del walks[grown]
    assert _periods(alice) == _expected(walks, "America/New_York")
    assert reconcile_days(db, alice.id, repair=False) is False


def test_a_timezone_change_moves_the_local_days(make_user, db) -> None:
    # Given two walks an hour apart either side of midnight UTC, three days ago
    bob = make_user("Bob")
    midnight = datetime.combine(datetime.now(UTC).date() - timedelta(days=3), time(), UTC)
    half_hour = timedelta(minutes=30)
    for at, distance in ((midnight - half_hour, 2000), (midnight + half_hour, 3000)):
        call("POST", "/activities", user=bob, json_body=walk(distance, at=at))
    before = call("GET", "/users/me/stats", user=bob).data
    assert before["bestDay"] == {"date": midnight.date().isoformat(), "distance": 3000}
    assert before["longestStreak"] == 2

    # When Bob moves to Tokyo (UTC+9), where both walks fall on the same morning
    assert call("PATCH", "/users/me", user=bob, json_body={"timezone": "Asia/Tokyo"}).status == 200

    # Then the day totals were rebuilt in the new zone: one day of 5 km
    after = call("GET", "/users/me/stats", user=bob).data
    assert after["bestDay"] == {"date": midnight.date().isoformat(), "distance": 5000}
    assert after["longestStreak"] == 1
    assert reconcile_days(db, bob.id, repair=False) is False


def test_deleting_the_latest_walk_moves_last_activity_back(make_user, make_team, db) -> None:
    # Given two walks counted for a team's goal
    carol = make_user("Carol")
    team = make_team([carol])
    now = datetime.now(UTC)
    early, late = now - timedelta(hours=5), now - timedelta(hours=1)
    call("POST", "/activities", user=carol, json_body=walk(2000, at=early))
    latest = call("POST", "/activities", user=carol, json_body=walk(2000, at=late)).data

    # When the latest one is deleted
    assert call("DELETE", f"/activities/{latest['activity']['id']}", user=carol).status == 200

    # Then both the user's and the goal's last activity are the earlier walk
    user_last = db.execute(
        "SELECT last_activity_at FROM user_stats WHERE user_id = %s", (carol.id,)
    ).fetchone()
    goal_last = db.execute(
        "SELECT last_activity_at FROM team_progress WHERE goal_id = %s", (team.goal_id,)
    ).fetchone()
    assert user_last == goal_last == (early,)


def test_reconciliation_repairs_drifted_day_totals(make_user, db) -> None:
    dave = make_user("Dave")
    call("POST", "/activities", user=dave, json_body=walk(4000))
    db.execute("UPDATE user_daily_totals SET distance = 1 WHERE user_id = %s", (dave.id,))
    db.execute("INSERT INTO user_daily_totals VALUES (%s, '2001-01-01', 10, 10, 1)", (dave.id,))

    fixed = reconcile_job({}, None)
    again = reconcile_job({}, None)

    assert str(dave.id) in fixed["dailyTotalsRepaired"]
    assert str(dave.id) not in again["dailyTotalsRepaired"]
    best = call("GET", "/users/me/stats", user=dave).data["bestDay"]
    assert best is not None and best["distance"] == 4000


def test_an_achievement_is_earned_by_the_walk_that_crosses_its_threshold(make_user, db) -> None:
    erin = make_user("Erin")
    now = datetime.now(UTC)
    answers = [
        call("POST", "/activities", user=erin, json_body=walk(1000, at=now - timedelta(minutes=m)))
        for m in range(30, 20, -1)
    ]
    keys = [[a["key"] for a in r.data["achievementsEarned"]] for r in answers]
    assert "first_steps" in keys[0] and "ten_walks" in keys[9]
    assert all("ten_walks" not in k for k in keys[:9])

    # Down to nine and back to ten: earned once, kept
    call("DELETE", f"/activities/{answers[0].data['activity']['id']}", user=erin)
    again = call("POST", "/activities", user=erin, json_body=walk(1000)).data
    assert "ten_walks" not in [a["key"] for a in again["achievementsEarned"]]
    earned = db.execute(
        """SELECT count(*) FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id
           WHERE ua.user_id = %s AND a.key = 'ten_walks'""",
        (erin.id,),
    ).fetchone()
    assert earned == (1,)


def test_the_migration_backfills_existing_activities(empty_database, tmp_path: Path) -> None:
    # Given a database migrated up to the release before the daily totals, with walks in it
    before = tmp_path / "migrations"
    before.mkdir()
    for path in migrations_dir().glob("*.sql"):
        if path.name < "0720.":  # the release before: nothing from 0720 on
            shutil.copy(path, before / path.name)
    apply_migrations(empty_database, before)
    with psycopg.connect(empty_database, autocommit=True) as conn:
        user = conn.execute(
            """INSERT INTO users (cognito_id, email, name, timezone)
               VALUES (%s, %s, 'U', 'Europe/Lisbon') RETURNING id""",
            (uuid.uuid4().hex, f"{uuid.uuid4().hex}@example.com"),
        ).fetchone()[0]
        for at, distance in (("2026-06-01T22:30Z", 1000), ("2026-06-01T23:30Z", 2000)):
            conn.execute(
                "INSERT INTO activities (user_id, distance, duration, activity_at)"
                " VALUES (%s, %s, 1800, %s)",
                (user, distance, at),
            )

        # When the migration runs
        assert "0720.user_daily_totals" in apply_migrations(empty_database)

        # Then each local day (Lisbon is UTC+1 in June) has its totals
        rows = conn.execute(
            "SELECT day, distance, activities FROM user_daily_totals WHERE user_id = %s"
            " ORDER BY day",
            (user,),
        ).fetchall()
    assert [(str(d), float(x), n) for d, x, n in rows] == [
        ("2026-06-01", 1000.0, 1),
        ("2026-06-02", 2000.0, 1),
    ]
