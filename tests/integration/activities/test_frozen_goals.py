"""A goal that is no longer ACTIVE is frozen: no write moves it, not even one that was already
in flight when another write completed (or an admin ended) the goal."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.integration.activities.conftest import walk
from tests.support.api import call


def _progress(db, goal_id) -> tuple[float, int]:
    row = db.execute(
        "SELECT total_distance, total_activities FROM team_progress WHERE goal_id = %s",
        (goal_id,),
    ).fetchone()
    return float(row[0]), row[1]


def _wait_until_blocked_by(db, holder: psycopg.Connection, timeout: float = 10.0) -> None:
    """Until a backend waits for a lock `holder` has (the test's holder has one only)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = db.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY (pg_blocking_pids(pid))",
            (holder.info.backend_pid,),
        ).fetchone()
        if waiting and waiting[0]:
            return
        time.sleep(0.01)
    raise AssertionError("the write never blocked on the progress row")


@pytest.mark.parametrize("ending", ["COMPLETED", "CANCELLED", "FAILED"])
def test_a_write_blocked_on_the_progress_row_does_not_move_a_goal_ended_meanwhile(
    db, database_url, make_user, make_team, ending
) -> None:
    # Given a write that read the goal as ACTIVE and waits for the progress row lock
    alice = make_user("Alice")
    team = make_team([alice], target=50_000)
    holder = psycopg.connect(database_url)
    holder.execute("SELECT 1 FROM team_progress WHERE goal_id = %s FOR UPDATE", (team.goal_id,))
    result: dict = {}
    writer = threading.Thread(
        target=lambda: result.update(r=call("POST", "/activities", user=alice, json_body=walk()))
    )
    writer.start()
    _wait_until_blocked_by(db, holder)

    # When the transaction holding the row ends the goal and commits
    holder.execute(
        """UPDATE team_goals SET status = %s,
                  completed_at = CASE WHEN %s = 'COMPLETED' THEN now() END
           WHERE id = %s""",
        (ending, ending, team.goal_id),
    )
    holder.commit()
    holder.close()
    writer.join(timeout=10)

    # Then the write succeeds for the user but the frozen goal did not move
    r = result["r"]
    assert r.status == 201
    assert [u for u in r.data["teamUpdates"] if u["goalId"] == str(team.goal_id)] == []
    assert _progress(db, team.goal_id) == (0.0, 0)
    assert call("GET", "/users/me/stats", user=alice).data["totalDistance"] == 5000


@pytest.mark.parametrize("run", range(20))
def test_racing_writers_count_exactly_up_to_the_crossing_walk(db, make_user, make_team, run):
    # Given 8 walkers, 2 walks of 4 km each, on a 24.7 km goal
    walkers = [make_user(f"W{i}") for i in range(8)]
    team = make_team(walkers, target=24_700)

    def two_walks(user):
        return [call("POST", "/activities", user=user, json_body=walk(4000)) for _ in range(2)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = [r for pair in pool.map(two_walks, walkers) for r in pair]

    # Then exactly 7 walks count (the 7th crosses: 28 km), the goal froze with those
    assert all(r.status == 201 for r in answers)
    counted = [u for r in answers for u in r.data["teamUpdates"]]
    assert len(counted) == 7
    assert sum(u["newPercentComplete"] >= 100 for u in counted) == 1
    assert _progress(db, team.goal_id) == (28_000.0, 7)
    status, final = db.execute(
        "SELECT status, final_stats FROM team_goals WHERE id = %s", (team.goal_id,)
    ).fetchone()
    assert status == "COMPLETED"
    assert final["totalDistance"] == 28_000 and final["totalActivities"] == 7
