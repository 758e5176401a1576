-- Read side (docs/leaderboards.md): the public boards as materialized views, refreshed
-- CONCURRENTLY by functions/jobs/refresh_leaderboards.py, and when each was last refreshed.
-- Team boards and the dashboard are live queries over activities_by_user_time.
-- depends: 0100.users_deleted_identity

-- Public boards are the same answer for everyone (cached at the CDN), so their periods are the
-- UTC ISO week and UTC month as of the refresh. activity_at >= 2000-01-01 by CHECK, so that is
-- "all time".
CREATE FUNCTION leaderboard_period_start(period text) RETURNS timestamptz
    LANGUAGE sql STABLE AS $$
    SELECT CASE period
        WHEN 'week' THEN date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        WHEN 'month' THEN date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        ELSE timestamptz '2000-01-01 00:00:00+00'
    END
$$;

-- One row per (period, user) with public distance in the period: users with nothing public
-- are absent. Soft-deleted users are left out here and again at read time (a deletion between
-- two refreshes must not show either).
CREATE MATERIALIZED VIEW leaderboard_global AS
    SELECT p.period, a.user_id, sum(a.distance) AS distance, count(*)::int AS activities
    FROM (VALUES ('week'), ('month'), ('all')) AS p (period)
    JOIN activities a ON a.activity_at >= leaderboard_period_start(p.period) AND NOT a.is_private
    JOIN users u ON u.id = a.user_id AND u.deleted_at IS NULL
    GROUP BY p.period, a.user_id;
-- CONCURRENTLY needs a unique index; the second one serves "top N of a period".
CREATE UNIQUE INDEX leaderboard_global_key ON leaderboard_global (period, user_id);
CREATE INDEX leaderboard_global_order ON leaderboard_global (period, distance DESC);

-- One row per (period, public live team) that walked in the period: public activities of
-- members made while they were members (history included, like the team totals). An active
-- member is one who walked in the period; the average is per active member.
CREATE MATERIALIZED VIEW leaderboard_teams AS
    SELECT p.period, m.team_id,
           sum(a.distance) AS total_distance,
           count(*)::int AS activities,
           count(DISTINCT a.user_id)::int AS active_members,
           round(sum(a.distance) / count(DISTINCT a.user_id), 3) AS average_distance
    FROM (VALUES ('week'), ('month'), ('all')) AS p (period)
    JOIN teams t ON t.is_public AND t.deleted_at IS NULL
    JOIN team_members m ON m.team_id = t.id
    JOIN activities a ON a.user_id = m.user_id AND NOT a.is_private
                     AND a.activity_at >= leaderboard_period_start(p.period)
                     AND a.activity_at >= m.joined_at
                     AND (m.left_at IS NULL OR a.activity_at < m.left_at)
    GROUP BY p.period, m.team_id;
CREATE UNIQUE INDEX leaderboard_teams_key ON leaderboard_teams (period, team_id);
CREATE INDEX leaderboard_teams_total ON leaderboard_teams (period, total_distance DESC);
CREATE INDEX leaderboard_teams_average ON leaderboard_teams (period, average_distance DESC);

-- The `asOf` of each board: written in the refresh's own transaction.
CREATE TABLE leaderboard_refreshes (
    board        text PRIMARY KEY CHECK (board IN ('global', 'teams')),
    refreshed_at timestamptz NOT NULL
);
INSERT INTO leaderboard_refreshes (board, refreshed_at) VALUES ('global', now()), ('teams', now());

-- Refreshing needs the views' owner, and the application role only has DML and EXECUTE
-- (functions/deploy/apply_migrations.py): this owner-rights function is the one thing it may
-- do to them. Fixed view names and search_path: nothing the caller passes reaches SQL text.
CREATE FUNCTION refresh_leaderboard(which text) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    refreshed timestamptz;
BEGIN
    IF which = 'global' THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY leaderboard_global;
    ELSIF which = 'teams' THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY leaderboard_teams;
    ELSE
        RAISE EXCEPTION 'unknown leaderboard %', which USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE leaderboard_refreshes SET refreshed_at = now() WHERE board = which
        RETURNING refreshed_at INTO refreshed;
    RETURN refreshed;
END
$$;
REVOKE EXECUTE ON FUNCTION refresh_leaderboard(text) FROM PUBLIC;

-- Membership history by team (left members included): the dashboard's merged feed and goal
-- pace walk every membership span of a team, then each member's walks through
-- activities_by_user_time; team_members_by_team only has live rows, team_members_by_user
-- leads with the user.
CREATE INDEX team_members_history_by_team ON team_members (team_id, user_id, joined_at);
