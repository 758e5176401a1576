"""Concurrent writes never lose or double-count: after any mix of creates, edits and deletes the
stored aggregates equal a recomputation from raw rows."""

from __future__ import annotations

import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg

from milequest.db import team_progress as progress_db
from milequest.domain.reconciliation import reconcile_days, reconcile_goal, reconcile_user
from tests.integration.activities.conftest import walk
from tests.support.api import call


def test_random_concurrent_writes_leave_aggregates_equal_to_recomputation(
    make_user, make_team, db, database_url
) -> None:
    # Given six users in three overlapping teams; team B's goal is small enough to complete
    users = [make_user(f"U{i}") for i in range(6)]
    now = datetime.now(UTC)
    a = make_team(users[0:4], target=400_000, waypoints=(50_000, 150_000))
    b = make_team(users[2:6], target=60_000, waypoints=(20_000,))
    c = make_team([users[0], users[5]], target=900_000, start=now - timedelta(days=3))
    rng = random.Random(20261125)
    plans = []
    for user in users:
        for _ in range(45):
            plans.append((user, rng.random(), rng.randint(0, 9), rng.uniform(500, 9000)))
    rng.shuffle(plans)
    created: dict[uuid.UUID, list[str]] = {u.id: [] for u in users}  # type: ignore[misc]

    deleted: set[str] = set()

    def run(plan: tuple) -> int:
        user, dice, days_back, distance = plan
        at = now - timedelta(days=days_back, minutes=rng.randint(1, 600))
        mine = created[user.id]
        if dice < 0.6 or not mine:
            r = call("POST", "/activities", user=user, json_body=walk(distance, at=at))
            if r.status == 201:
                mine.append(r.data["activity"]["id"])
            return r.status
        if dice < 0.85:
            target = rng.choice(mine)
            body = (
                {"distance": round(distance, 1), "duration": int(distance * 0.8)}
                if dice < 0.75
                else {"timestamp": at.isoformat()}
            )
            status = call("PATCH", f"/activities/{target}", user=user, json_body=body).status
            # Another thread may have deleted it meanwhile: then 404 is the right answer.
            return 200 if status == 404 and target in deleted else status
        target = mine.pop(rng.randrange(len(mine)))
        deleted.add(target)
        return call("DELETE", f"/activities/{target}", user=user).status

    # When 8 threads apply ~270 random writes (back-dated ones included)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(run, plans))

    # Then every write succeeded and nothing drifted
    assert set(statuses) <= {200, 201}, statuses
    # (only this test's rows: other tests share the database and may leave rows of their own)
    ours = {a.goal_id, b.goal_id, c.goal_id}
    with psycopg.connect(database_url, autocommit=True) as conn:
        drifted_users = [u.id for u in users if reconcile_user(conn, u.id, repair=False)]
        drifted_days = [u.id for u in users if reconcile_days(conn, u.id, repair=False)]
        drifted_goals = [
            g.goal_id
            for g in progress_db.active_goals(conn)
            if g.goal_id in ours and reconcile_goal(conn, g, repair=False)
        ]
    assert drifted_users == []
    assert drifted_days == []
    assert drifted_goals == []

    # The small goal completed exactly once, each milestone was notified once per member
    status = db.execute("SELECT status FROM team_goals WHERE id = %s", (b.goal_id,)).fetchone()
    assert status == ("COMPLETED",)
    dupes = db.execute(
        """SELECT user_id, dedupe_key, count(*) FROM notifications
           WHERE team_id = ANY(%s) GROUP BY 1, 2 HAVING count(*) > 1""",
        ([a.id, b.id, c.id],),
    ).fetchall()
    assert dupes == []
    completed = db.execute(
        """SELECT count(*) FROM notifications WHERE team_id = %s AND category = 'GOAL_COMPLETED'""",
        (b.id,),
    ).fetchone()
    assert completed == (4,)
    awarded = db.execute(
        """SELECT count(*) FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id
           WHERE a.key = 'goal_completed' AND ua.user_id = ANY(%s)""",
        ([u.id for u in users[2:6]],),
    ).fetchone()
    assert awarded == (4,)


def test_same_idempotency_key_sent_ten_times_concurrently_creates_one_activity(
    make_user, make_team, db
) -> None:
    alice = make_user("Alice")
    team = make_team([alice])
    body = walk(3000)
    key = f"key-{uuid.uuid4()}"

    def send(_: int):
        return call(
            "POST", "/activities", user=alice, json_body=body, headers={"Idempotency-Key": key}
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(send, range(10)))

    assert [r.status for r in results] == [201] * 10
    assert len({r.data["activity"]["id"] for r in results}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in results) == 9
    count = db.execute("SELECT count(*) FROM activities WHERE user_id = %s", (alice.id,)).fetchone()
    assert count == (1,)
    progress = db.execute(
        "SELECT total_distance FROM team_progress WHERE goal_id = %s", (team.goal_id,)
    ).fetchone()
    assert progress and float(progress[0]) == 3000.0


def test_same_idempotency_key_with_a_different_body_is_422(make_user) -> None:
    alice = make_user("Alice")
    headers = {"Idempotency-Key": f"key-{uuid.uuid4()}"}

    first = call("POST", "/activities", user=alice, json_body=walk(3000), headers=headers)
    other = call("POST", "/activities", user=alice, json_body=walk(3100), headers=headers)

    assert first.status == 201
    assert other.status == 422
    assert other.code == "IDEMPOTENCY_KEY_REUSED"


def test_idempotent_delete_replays_the_stored_response(make_user) -> None:
    alice = make_user("Alice")
    a = call("POST", "/activities", user=alice, json_body=walk()).data["activity"]
    headers = {"Idempotency-Key": f"key-{uuid.uuid4()}"}

    first = call("DELETE", f"/activities/{a['id']}", user=alice, headers=headers)
    again = call("DELETE", f"/activities/{a['id']}", user=alice, headers=headers)

    assert first.status == again.status == 200
    assert again.body == first.body
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_an_expired_idempotency_key_runs_the_request_again(make_user, database_url) -> None:
    # Given a stored key past its expiry that the purge job has not removed yet
    alice = make_user("Alice")
    headers = {"Idempotency-Key": f"key-{uuid.uuid4()}"}
    first = call("POST", "/activities", user=alice, json_body=walk(3000), headers=headers)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            """UPDATE idempotency_keys
                  SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day'
                WHERE key = %s""",
            (headers["Idempotency-Key"],),
        )

    # When the key comes again with another request, it is a new request, not a 422 or a replay
    again = call("POST", "/activities", user=alice, json_body=walk(3100), headers=headers)

    assert (first.status, again.status) == (201, 201)
    assert again.headers.get("Idempotent-Replayed") is None
    assert again.data["activity"]["id"] != first.data["activity"]["id"]
