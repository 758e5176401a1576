-- The recommendations' SIMILAR_PACE signal (docs/analytics.md) as a materialized view refreshed
-- with the public boards by functions/jobs/refresh_leaderboards.py. Summing every candidate
-- team's members' last four weeks at request time was ~4,500 index ranges at the scale data set
-- (~45 ms of a ~50 ms request); a team's weekly pace is a statistic that may be minutes stale,
-- like the boards, so the request now reads one row per team.
-- depends: 0720.user_daily_totals

-- One row per live team whose current members walked in the last 4 weeks
-- (milequest.db.team_recommendations.PACE_WEEKS; a test checks the two agree): their distance
-- per week per active member (a member who walked in the window). Current members' walks,
-- private ones included (only the aggregate is used, never shown), whenever they were made:
-- the same definition the request computed before this view. A team without walks in the
-- window is absent and has no pace. Private teams are kept: publicity is checked at read time,
-- so a team made public is scored at once.
CREATE MATERIALIZED VIEW team_pace AS
    SELECT m.team_id, sum(a.distance) / 4 / count(DISTINCT a.user_id) AS weekly
    FROM teams t
    JOIN team_members m ON m.team_id = t.id AND m.left_at IS NULL
    JOIN activities a ON a.user_id = m.user_id
                     AND a.activity_at > now() - make_interval(weeks => 4)
    WHERE t.deleted_at IS NULL
    GROUP BY m.team_id;
-- CONCURRENTLY needs a unique index; it is also the request's lookup.
CREATE UNIQUE INDEX team_pace_key ON team_pace (team_id);
ANALYZE team_pace;

-- Its refresh time, beside the boards' (the job reports it).
ALTER TABLE leaderboard_refreshes DROP CONSTRAINT leaderboard_refreshes_board_check;
ALTER TABLE leaderboard_refreshes ADD CONSTRAINT leaderboard_refreshes_board_check
    CHECK (board IN ('global', 'teams', 'pace'));
INSERT INTO leaderboard_refreshes (board, refreshed_at) VALUES ('pace', now());

-- The owner-rights refresh of migration 0300, which also knows 'pace' (the application role
-- may not own or refresh views itself). CREATE OR REPLACE keeps the owner and the grants (none
-- to PUBLIC, EXECUTE for the application role).
CREATE OR REPLACE FUNCTION refresh_leaderboard(which text) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    refreshed timestamptz;
BEGIN
    IF which = 'global' THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY leaderboard_global;
    ELSIF which = 'teams' THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY leaderboard_teams;
    ELSIF which = 'pace' THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY team_pace;
    ELSE
        RAISE EXCEPTION 'unknown leaderboard %', which USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE leaderboard_refreshes SET refreshed_at = now() WHERE board = which
        RETURNING refreshed_at INTO refreshed;
    RETURN refreshed;
END
$$;
