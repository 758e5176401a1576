"""`make seed-scale` (local/scale) at a tiny size: the materialized views the refresh job keeps
are left as a refresh would make them, so the reads measured at scale see the data set."""

from __future__ import annotations

import psycopg

from local.scale.__main__ import build

VIEWS = {
    "global": "SELECT * FROM leaderboard_global ORDER BY period, user_id",
    "teams": "SELECT * FROM leaderboard_teams ORDER BY period, team_id",
    "pace": "SELECT * FROM team_pace ORDER BY team_id",
}


def test_the_seeded_data_set_leaves_the_refreshed_views_populated(new_migrated_database) -> None:
    url = new_migrated_database()
    build(url, users=60, teams=6, activities=3000, seed=7)
    with psycopg.connect(url, autocommit=True) as conn:
        seeded = {view: conn.execute(sql).fetchall() for view, sql in VIEWS.items()}
        for view in VIEWS:
            conn.execute("SELECT refresh_leaderboard(%s)", (view,))
        for view, sql in VIEWS.items():
            assert seeded[view], view
            assert conn.execute(sql).fetchall() == seeded[view], view
