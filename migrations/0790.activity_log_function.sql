-- Logging a walk as one statement (docs/architecture.md#write-path): `activity_log` runs the
-- user side (activity_create) and the team side (team_progress_move) in one call, and with it
-- the decisions the write used to take in Python between the two: which activity achievements
-- it earned and which milestones, waypoints or completion it reached. Most walks reach none;
-- such a walk is then the call alone, in autocommit, with no BEGIN or COMMIT round trip. When
-- one is reached, the caller asked the call to `bail`, and it raises MQ001 (everything it did
-- rolls back with the statement), so that the write runs again in a transaction that acts on
-- them (notifications, awards, completion), with `bail` off.
--
-- Expand only: the functions of 0740/0750/0780 stay as they were for the previous release.
-- depends: 0780.write_path_cpu

-- The activity achievements a write can have earned that the user does not hold: a running
-- total that crossed its threshold with this write (a total already past it was awarded by
-- the write that crossed it), or a walk that meets a single-walk criterion. The criteria are
-- the achievements rows' JSON (validated by milequest.domain.achievements); the comparisons
-- are in float8, as the totals' thresholds are given. Team criteria are decided when a goal
-- completes, not here.
CREATE FUNCTION activity_achievements_crossed(usr uuid, prev_count integer, new_count integer,
                                              prev_distance numeric, new_distance numeric,
                                              prev_streak integer, new_streak integer,
                                              dist numeric, dur integer, at timestamptz,
                                              zone text)
    RETURNS uuid[]
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN ARRAY(
        SELECT a.id FROM achievements a
         WHERE CASE a.criteria ->> 'type'
                   WHEN 'activity_count' THEN
                       prev_count < (a.criteria ->> 'count')::int
                       AND (a.criteria ->> 'count')::int <= new_count
                   WHEN 'total_distance' THEN
                       prev_distance::float8 < (a.criteria ->> 'meters')::float8
                       AND (a.criteria ->> 'meters')::float8 <= new_distance::float8
                   WHEN 'streak' THEN
                       prev_streak < (a.criteria ->> 'days')::int
                       AND (a.criteria ->> 'days')::int <= new_streak
                   WHEN 'single_activity_distance' THEN
                       dist::float8 >= (a.criteria ->> 'meters')::float8
                   WHEN 'pace' THEN
                       dist::float8 >= coalesce((a.criteria ->> 'min_meters')::float8, 0)
                       AND dur / (dist::float8 / 1000)
                           <= (a.criteria ->> 'max_seconds_per_km')::float8
                   WHEN 'early_bird' THEN
                       extract(hour FROM at AT TIME ZONE zone)
                           < (a.criteria ->> 'before_hour')::int
                   ELSE false
               END
           AND NOT EXISTS (SELECT 1 FROM user_achievements h
                            WHERE h.user_id = usr AND h.achievement_id = a.id)
         ORDER BY a.sort_order, a.id);
END
$$;

-- The milestones (25/50/75/100 %), intermediate waypoints and completion a goal's progress has
-- reached and not yet recorded. A waypoint's mark is its segment's end scaled to the target
-- (100 % is the destination), in float8 as the segment ends are; the percentages are exact.
CREATE FUNCTION progress_reached(total numeric, target numeric, segment_ends float8[],
                                 milestones integer[], waypoints integer[],
                                 OUT new_milestones integer[], OUT new_waypoints integer[],
                                 OUT completes boolean)
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY(SELECT m FROM unnest(ARRAY[25, 50, 75, 100]) m
                  WHERE total * 100 >= m * target AND m <> ALL (milestones) ORDER BY m),
           ARRAY(SELECT e.i - 1 FROM unnest(segment_ends) WITH ORDINALITY AS e(c, i)
                  WHERE e.i < cardinality(segment_ends) AND segment_ends[cardinality(segment_ends)] > 0
                    AND total::float8
                        >= e.c * (target::float8 / segment_ends[cardinality(segment_ends)])
                    AND (e.i - 1)::int <> ALL (waypoints)
                  ORDER BY e.i),
           total >= target
$$;

-- team_progress_add (0740) with what its row has reached.
CREATE FUNCTION goal_progress_add(goal uuid, d numeric, n integer, at timestamptz)
    RETURNS TABLE (goal_id uuid, team_id uuid, goal_name text, status text,
                   target_distance numeric, segment_ends float8[], total_distance numeric,
                   total_activities integer, last_activity_at timestamptz,
                   milestones_reached integer[], waypoints_reached integer[],
                   new_milestones integer[], new_waypoints integer[], completes boolean)
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    SELECT p.*, r.new_milestones, r.new_waypoints, r.completes
      FROM team_progress_add(goal, d, n, at) p
     CROSS JOIN LATERAL progress_reached(p.total_distance, p.target_distance, p.segment_ends,
                                         p.milestones_reached, p.waypoints_reached) r;
END
$$;

-- team_progress_move (0740) with what each moved row has reached, as a named row type so that
-- activity_log can hold the rows before it answers.
CREATE TYPE goal_move AS (goal_id uuid, team_id uuid, goal_name text, status text,
                          target_distance numeric, segment_ends float8[], total_distance numeric,
                          total_activities integer, last_activity_at timestamptz,
                          milestones_reached integer[], waypoints_reached integer[],
                          counted_old boolean, counted_new boolean,
                          new_milestones integer[], new_waypoints integer[], completes boolean);

CREATE FUNCTION goal_progress_move(usr uuid, old_at timestamptz, old_distance numeric,
                                   new_at timestamptz, new_distance numeric)
    RETURNS SETOF goal_move
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    SELECT p.*, r.new_milestones, r.new_waypoints, r.completes
      FROM team_progress_move(usr, old_at, old_distance, new_at, new_distance) p
     CROSS JOIN LATERAL progress_reached(p.total_distance, p.target_distance, p.segment_ends,
                                         p.milestones_reached, p.waypoints_reached) r;
END
$$;

-- One walk logged: activity_create's outcome and activity (or when the rate limit frees) with
-- the achievements it crossed, once per goal it moved (`g_` columns; once with NULL
-- `g_goal_id` when it moved none, or was not created). With `bail`, a created walk that
-- crossed an achievement or reached a milestone, waypoint or completion raises MQ001 instead.
CREATE FUNCTION activity_log(usr uuid, dist numeric, dur integer, at timestamptz, note text,
                             private boolean, src text, ext text, lim integer, bail boolean)
    RETURNS TABLE (outcome text, id uuid, user_id uuid, distance numeric, duration integer,
                   pace numeric, activity_at timestamptz, notes text, is_private boolean,
                   source text, external_id text, created_at timestamptz,
                   updated_at timestamptz, frees_at timestamptz, crossed uuid[],
                   g_goal_id uuid, g_team_id uuid, g_goal_name text, g_status text,
                   g_target_distance numeric, g_segment_ends float8[], g_total_distance numeric,
                   g_total_activities integer, g_last_activity_at timestamptz,
                   g_milestones_reached integer[], g_waypoints_reached integer[],
                   g_counted_old boolean, g_counted_new boolean,
                   g_new_milestones integer[], g_new_waypoints integer[], g_completes boolean)
    LANGUAGE plpgsql AS $$
DECLARE
    c record;
    earned uuid[];
    moved goal_move[] := '{}';
BEGIN
    SELECT * INTO c FROM activity_create(usr, dist, dur, at, note, private, src, ext, lim);
    IF c.outcome = 'CREATED' THEN
        earned := activity_achievements_crossed(
            usr, c.prev_total_activities, c.total_activities, c.prev_total_distance,
            c.total_distance, c.prev_current_streak, c.current_streak, c.distance, c.duration,
            c.activity_at, c.timezone);
        moved := ARRAY(SELECT g FROM goal_progress_move(usr, NULL, NULL, c.activity_at,
                                                        c.distance) g);
        IF bail AND (cardinality(earned) > 0 OR EXISTS (
                SELECT 1 FROM unnest(moved) g
                 WHERE g.counted_new AND (cardinality(g.new_milestones) > 0
                                          OR cardinality(g.new_waypoints) > 0 OR g.completes)))
        THEN
            RAISE EXCEPTION 'the walk has follow-ups' USING ERRCODE = 'MQ001';
        END IF;
    END IF;
    RETURN QUERY
    SELECT c.outcome, c.id, c.user_id, c.distance, c.duration, c.pace, c.activity_at, c.notes,
           c.is_private, c.source, c.external_id, c.created_at, c.updated_at, c.frees_at, earned,
           g.goal_id, g.team_id, g.goal_name, g.status, g.target_distance, g.segment_ends,
           g.total_distance, g.total_activities, g.last_activity_at, g.milestones_reached,
           g.waypoints_reached, g.counted_old, g.counted_new, g.new_milestones,
           g.new_waypoints, g.completes
      FROM (SELECT 1) one LEFT JOIN unnest(moved) g ON true;
END
$$;
