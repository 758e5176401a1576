"""Aggregates of the scale data set, derived from its raw rows with the rules the write path
keeps: goals that counted, team progress (frozen at the crossing walk for completed goals),
user totals, streaks and daily totals in each user's time zone, achievements, notifications,
and the materialized views the refresh job keeps (public boards, team pace)."""

from __future__ import annotations

from typing import Any

from psycopg import Connection

from local.scale.raw import Dataset

_COUNTED = """
    SELECT g.id AS goal_id, a.id, a.user_id, a.distance, a.activity_at, a.created_at
    FROM team_goals g
    JOIN team_members m ON m.team_id = g.team_id
    JOIN activities a ON a.user_id = m.user_id
     AND a.activity_at >= g.start_date AND a.activity_at <= g.end_date
     AND m.joined_at <= a.activity_at AND (m.left_at IS NULL OR m.left_at > a.activity_at)
"""


def goals(conn: Connection[Any]) -> dict[str, int]:
    # Past goals first become COMPLETED at their crossing walk, or FAILED short of the target.
    conn.execute(
        """INSERT INTO team_goals (id, team_id, name, status, start_location, end_location,
               waypoints, route_data, route_geom, target_distance, start_date, end_date,
               created_at)
           SELECT id, team_id, name, CASE status WHEN 'PAST' THEN 'FAILED' ELSE status END,
                  start_location, end_location, waypoints, route_data,
                  ST_GeogFromText(route_geom), target_distance, start_date, end_date, created_at
           FROM scale_goals"""
    )
    conn.execute(
        f"""CREATE TEMP TABLE scale_counted AS
            SELECT c.*, sum(c.distance) OVER (PARTITION BY c.goal_id
                                             ORDER BY c.activity_at, c.id) AS running
            FROM ({_COUNTED}) c"""
    )
    conn.execute("CREATE INDEX ON scale_counted (goal_id, running)")
    totals = "(SELECT goal_id, sum(distance) AS total FROM scale_counted GROUP BY 1) t"
    # An ACTIVE goal never sits at or past its target: busy teams get a longer one, and the
    # few whose year would pass any allowed target completed theirs (like the past goals).
    conn.execute(
        f"""UPDATE team_goals g SET target_distance = round(t.total * 1.25, 3)
            FROM {totals}
            WHERE t.goal_id = g.id AND g.status = 'ACTIVE'
              AND t.total >= g.target_distance * 0.9 AND t.total * 1.25 <= 50000000"""
    )
    conn.execute(
        f"""UPDATE team_goals g SET status = 'FAILED' FROM {totals}
            WHERE t.goal_id = g.id AND g.status = 'ACTIVE' AND t.total >= g.target_distance"""
    )
    # The crossing walk: the first whose running total reaches the target.
    conn.execute(
        """WITH crossing AS (
               SELECT DISTINCT ON (c.goal_id) c.goal_id, c.running, c.activity_at, c.created_at
               FROM scale_counted c JOIN team_goals g ON g.id = c.goal_id
               WHERE g.status = 'FAILED' AND c.running >= g.target_distance
               ORDER BY c.goal_id, c.running)
           UPDATE team_goals g SET status = 'COMPLETED', completed_at = x.created_at
           FROM crossing x WHERE g.id = x.goal_id"""
    )
    # ...and walks after the crossing one do not count for it (frozen at completion).
    conn.execute(
        """DELETE FROM scale_counted c USING team_goals g
           WHERE g.id = c.goal_id AND g.status = 'COMPLETED'
             AND c.running > (SELECT min(r.running) FROM scale_counted r
                              WHERE r.goal_id = g.id AND r.running >= g.target_distance)"""
    )
    conn.execute(
        """INSERT INTO team_progress (goal_id, team_id, total_distance, total_activities,
                                      last_activity_at)
           SELECT g.id, g.team_id, coalesce(sum(c.distance), 0), count(c.id), max(c.activity_at)
           FROM team_goals g LEFT JOIN scale_counted c ON c.goal_id = g.id
           GROUP BY g.id, g.team_id"""
    )
    conn.execute(
        """UPDATE team_goals g SET final_stats = jsonb_build_object(
               'totalDistance', p.total_distance, 'totalActivities', p.total_activities,
               'targetDistance', g.target_distance,
               'contributors', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                    'userId', s.user_id, 'distance', s.d, 'activities', s.n)
                                    ORDER BY s.d DESC, s.user_id), '[]')
                                FROM (SELECT user_id, sum(distance) d, count(*) n
                                      FROM scale_counted WHERE goal_id = g.id
                                      GROUP BY user_id) s))
           FROM team_progress p WHERE p.goal_id = g.id AND g.status = 'COMPLETED'"""
    )
    _milestones(conn)
    rows = conn.execute("SELECT status, count(*) FROM team_goals GROUP BY status").fetchall()
    return dict(rows)


def _milestones(conn: Connection[Any]) -> None:
    """The milestones and waypoints each goal's progress has reached, by the write path's own
    rule (progress_reached, migrations/0790), as the writes that made it would have recorded."""
    conn.execute(
        """UPDATE team_progress p
           SET milestones_reached = x.new_milestones, waypoints_reached = x.new_waypoints
           FROM (
               SELECT q.goal_id, r.new_milestones, r.new_waypoints
               FROM team_progress q
               JOIN team_goals g ON g.id = q.goal_id AND g.status IN ('ACTIVE', 'COMPLETED')
               CROSS JOIN LATERAL (
                   SELECT ARRAY(SELECT coalesce(s ->> 'cumulativeDistance', '0')::float8
                                  FROM jsonb_array_elements(coalesce(g.route_data -> 'segments',
                                                                     '[]'))
                                       WITH ORDINALITY AS e(s, i) ORDER BY i) AS ends
               ) route
               CROSS JOIN LATERAL progress_reached(q.total_distance, g.target_distance,
                                                   route.ends, '{}', '{}') r
           ) x
           WHERE x.goal_id = p.goal_id
             AND (cardinality(x.new_milestones) > 0 OR cardinality(x.new_waypoints) > 0)"""
    )


def user_stats(conn: Connection[Any]) -> None:
    """Totals and streaks (runs of consecutive local days), as reconciliation computes them."""
    conn.execute(
        """INSERT INTO user_stats (user_id, total_distance, total_duration, total_activities,
                                   current_streak, longest_streak, last_activity_at,
                                   last_activity_date)
           WITH days AS (
               SELECT DISTINCT a.user_id, (a.activity_at AT TIME ZONE u.timezone)::date AS d
               FROM activities a JOIN users u ON u.id = a.user_id),
           runs AS (
               SELECT user_id, d - (row_number() OVER (PARTITION BY user_id ORDER BY d))::int
                          AS run, d FROM days),
           islands AS (
               SELECT user_id, run, count(*) AS len, max(d) AS last FROM runs GROUP BY 1, 2),
           streaks AS (
               SELECT user_id, max(len) AS longest,
                      (array_agg(len ORDER BY last DESC))[1] AS current, max(last) AS last
               FROM islands GROUP BY user_id),
           totals AS (
               SELECT user_id, sum(distance) AS distance, sum(duration) AS duration,
                      count(*) AS n, max(activity_at) AS last_at
               FROM activities GROUP BY user_id)
           SELECT u.id, coalesce(t.distance, 0), coalesce(t.duration, 0), coalesce(t.n, 0),
                  coalesce(s.current, 0), coalesce(s.longest, 0), t.last_at, s.last
           FROM users u LEFT JOIN totals t ON t.user_id = u.id
           LEFT JOIN streaks s ON s.user_id = u.id"""
    )


def daily_totals(conn: Connection[Any]) -> None:
    """Per user and local day totals, as the write path keeps them (migration 0720)."""
    conn.execute(
        """INSERT INTO user_daily_totals (user_id, day, distance, duration, activities)
           SELECT a.user_id, (a.activity_at AT TIME ZONE u.timezone)::date, sum(a.distance),
                  sum(a.duration), count(*)
           FROM activities a JOIN users u ON u.id = a.user_id
           GROUP BY 1, 2"""
    )


def achievements(conn: Connection[Any]) -> int:
    """What each user earned by the catalog's criteria, from their stats and walks."""
    conn.execute(
        """INSERT INTO user_achievements (user_id, achievement_id, earned_at)
           SELECT s.user_id, a.id, s.last_activity_at
           FROM user_stats s JOIN achievements a ON
                (a.criteria->>'type' = 'activity_count'
                    AND s.total_activities >= (a.criteria->>'count')::int)
             OR (a.criteria->>'type' = 'total_distance'
                    AND s.total_distance >= (a.criteria->>'meters')::numeric)
             OR (a.criteria->>'type' = 'streak'
                    AND s.longest_streak >= (a.criteria->>'days')::int)
           WHERE s.total_activities > 0"""
    )
    conn.execute(
        """INSERT INTO user_achievements (user_id, achievement_id, activity_id, earned_at)
           SELECT DISTINCT ON (x.id, w.user_id) w.user_id, x.id, w.id, w.activity_at
           FROM achievements x
           JOIN (activities w JOIN users u ON u.id = w.user_id) ON
                (x.criteria->>'type' = 'single_activity_distance'
                    AND w.distance >= (x.criteria->>'meters')::numeric)
             OR (x.criteria->>'type' = 'pace'
                    AND w.pace <= (x.criteria->>'max_seconds_per_km')::numeric
                    AND w.distance >= (x.criteria->>'min_meters')::numeric)
             OR (x.criteria->>'type' = 'early_bird'
                    AND extract(hour FROM w.activity_at AT TIME ZONE u.timezone)
                        < (x.criteria->>'before_hour')::int)
           ORDER BY x.id, w.user_id, w.activity_at, w.id"""
    )
    conn.execute(
        """WITH done AS (
               SELECT m.user_id, count(*) AS n, (array_agg(g.id ORDER BY g.completed_at))[1] AS g
               FROM team_goals g JOIN team_members m ON m.team_id = g.team_id
               WHERE g.status = 'COMPLETED' AND m.left_at IS NULL GROUP BY m.user_id)
           INSERT INTO user_achievements (user_id, achievement_id, goal_id)
           SELECT d.user_id, a.id, d.g FROM done d JOIN achievements a
             ON a.criteria->>'type' = 'team_goal_completed'
            AND d.n >= (a.criteria->>'count')::int"""
    )
    conn.execute(
        """INSERT INTO user_achievements (user_id, achievement_id, goal_id)
           SELECT DISTINCT ON ((g.final_stats->'contributors'->0->>'userId')::uuid)
                  (g.final_stats->'contributors'->0->>'userId')::uuid, a.id, g.id
           FROM team_goals g JOIN achievements a ON a.criteria->>'type' = 'top_contributor'
           WHERE g.status = 'COMPLETED' AND jsonb_array_length(g.final_stats->'contributors') > 0
           ORDER BY (g.final_stats->'contributors'->0->>'userId')::uuid, g.completed_at"""
    )
    return int(conn.execute("SELECT count(*) FROM user_achievements").fetchone()[0])  # type: ignore[index]


def notifications(conn: Connection[Any], ds: Dataset) -> int:
    """Achievement and milestone notifications (most of them read), with the app's keys."""
    conn.execute(
        """INSERT INTO notifications (user_id, category, title, data, dedupe_key, read_at,
                                      status, created_at)
           SELECT ua.user_id, 'ACHIEVEMENT_EARNED', 'Achievement earned: ' || a.name,
                  jsonb_build_object('achievementKey', a.key), 'achievement:' || a.key,
                  CASE WHEN random() < 0.7 THEN ua.earned_at END, 'SENT', ua.earned_at
           FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id"""
    )
    conn.execute(
        """INSERT INTO notifications (user_id, team_id, category, title, data, dedupe_key,
                                      read_at, status)
           SELECT m.user_id, g.team_id, 'MILESTONE', g.name || ': ' || ms || '% complete',
                  jsonb_build_object('goalId', g.id, 'percent', ms),
                  'milestone:' || g.id || ':' || ms,
                  CASE WHEN random() < 0.7 THEN now() END, 'SENT'
           FROM team_progress p JOIN team_goals g ON g.id = p.goal_id
           CROSS JOIN LATERAL unnest(p.milestones_reached) ms
           JOIN team_members m ON m.team_id = g.team_id AND m.left_at IS NULL"""
    )
    return int(conn.execute("SELECT count(*) FROM notifications").fetchone()[0])  # type: ignore[index]


def views(conn: Connection[Any]) -> None:
    """Refresh the views the scheduled job keeps (functions/jobs/refresh_leaderboards.py): they
    were made by the migrations over an empty database, and the reads measured at scale
    (public boards, SIMILAR_PACE) must see the data set."""
    for view in ("global", "teams", "pace"):
        conn.execute("SELECT refresh_leaderboard(%s)", (view,))
