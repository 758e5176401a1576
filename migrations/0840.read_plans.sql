-- The dashboard's largest reads as PL/pgSQL functions whose plan is kept for the session
-- (docs/architecture.md#kept-plans). No prepared statement reaches RDS Proxy (it would pin
-- the client's session to one backend), so a plain statement is planned on every request:
-- the team cards' statement took ≈ 0.9 ms to plan against ≈ 1.5 ms to run, the merged feed
-- ≈ 0.55 ms against ≈ 0.45 ms. Each function runs the statement the application sent (the
-- parameters as its arguments; in the team cards, the sample is a call of team_daily_sample
-- rather than its SQL inlined, the same rows), with a generic plan:
-- PL/pgSQL would otherwise keep re-planning with the arguments' values whenever the generic
-- plan's estimate looks dearer than the custom ones, which is what the reads of one user's
-- rows look like to it; `SET plan_cache_mode` holds inside the call only, not in the session.
-- Expand only: the application's statements stop being sent once this release runs; nothing
-- older calls these functions.
-- depends: 0830.activities_insert_vacuum

-- The forecast's pace sample of a team (milequest.db.pace_sample.daily_sample): one row per day
-- with walks among the last `days` local days of its current members (ago 0 = today), each
-- walk on its walker's local date (user_daily_totals, in the zone the users row has now).
-- Each member's users row is looked up on its own: OFFSET 0 keeps that subquery from being
-- flattened into a join, where the planner hashes the whole users table or looks the walker
-- up again for every row.
CREATE FUNCTION team_daily_sample(team uuid, days integer)
    RETURNS TABLE (ago integer, distance numeric)
    LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY
    SELECT su.today - sd.day AS ago, sum(sd.distance) AS distance
      FROM team_members sm
     CROSS JOIN LATERAL (
         SELECT (now() AT TIME ZONE u.timezone)::date AS today
           FROM users u WHERE u.id = sm.user_id AND u.deleted_at IS NULL OFFSET 0) su
      JOIN user_daily_totals sd ON sd.user_id = sm.user_id
       AND sd.day > su.today - days AND sd.day <= su.today
     WHERE sm.team_id = team AND sm.left_at IS NULL
     GROUP BY 1;
END
$$;

-- My live teams (newest membership first), each with its ACTIVE goal, the goal's maintained
-- totals, the distance counted for it since `since` (the contribution rule: a walk counts
-- while its walker was a member, within the goal's window) and its pace sample
-- (milequest.db.dashboard.team_cards).
CREATE FUNCTION dashboard_team_cards(me uuid, since timestamptz, days integer)
    RETURNS TABLE (id uuid, name text, avatar_url text, member_count integer, role text,
                   goal_id uuid, goal_name text, goal_status text, route_data jsonb,
                   target_distance numeric, start_date timestamptz, end_date timestamptz,
                   total_distance numeric, total_activities integer,
                   last_activity_at timestamptz, trailing_distance numeric,
                   sample_ago integer[], sample_distance numeric[])
    LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY
    SELECT t.id, t.name::text AS name, t.avatar_url,
           (SELECT count(*) FROM team_members c
             WHERE c.team_id = t.id AND c.left_at IS NULL)::int AS member_count,
           m.role, g.id AS goal_id, g.name AS goal_name, g.status AS goal_status,
           g.route_data, g.target_distance, g.start_date, g.end_date,
           coalesce(p.total_distance, 0) AS total_distance,
           coalesce(p.total_activities, 0) AS total_activities, p.last_activity_at,
           coalesce(r.trailing, 0) AS trailing_distance,
           f.sample_ago, f.sample_distance
      FROM team_members m
      JOIN teams t ON t.id = m.team_id AND t.deleted_at IS NULL
      LEFT JOIN team_goals g ON g.team_id = t.id AND g.status = 'ACTIVE'
      LEFT JOIN team_progress p ON p.goal_id = g.id
      LEFT JOIN LATERAL (
          SELECT sum(a.distance) AS trailing
            FROM team_members h
            JOIN activities a ON a.user_id = h.user_id
             AND a.activity_at >= greatest(h.joined_at, g.start_date, since)
             AND (g.end_date IS NULL OR a.activity_at <= g.end_date)
             AND (h.left_at IS NULL OR a.activity_at < h.left_at)
           WHERE h.team_id = g.team_id
      ) r ON g.id IS NOT NULL
      LEFT JOIN LATERAL (
          SELECT array_agg(s.ago) AS sample_ago, array_agg(s.distance) AS sample_distance
            FROM team_daily_sample(t.id, days) s
           WHERE g.id IS NOT NULL
      ) f ON true
     WHERE m.user_id = me AND m.left_at IS NULL
     ORDER BY m.joined_at DESC, t.id DESC;
END
$$;

-- The newest `lim` items of the union of my live teams' feeds, within `win` of now when it is
-- given (milequest.db.dashboard.recent_feed): teammates' non-private walks made while they
-- were members, and my own (private included) made while I was one. Each membership row
-- contributes at most `lim` keys from an index-only scan of activities_by_user_time; only the
-- best `lim` are read as rows and joined to their walker's name.
CREATE FUNCTION dashboard_feed(me uuid, lim integer, win interval)
    RETURNS TABLE (id uuid, user_id uuid, user_name text, user_avatar_url text,
                   distance numeric, duration integer, pace numeric,
                   activity_at timestamptz, notes text, is_private boolean, source text,
                   external_id text, created_at timestamptz, updated_at timestamptz)
    LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY
    WITH spans AS (
        SELECT DISTINCT h.user_id, h.joined_at, h.left_at
          FROM team_members mine
          JOIN teams t ON t.id = mine.team_id AND t.deleted_at IS NULL
          JOIN team_members h ON h.team_id = mine.team_id
         WHERE mine.user_id = me AND mine.left_at IS NULL
    ), picked AS (
        -- DISTINCT: a walk in two of my teams' feeds is one item
        SELECT DISTINCT k.activity_at, k.id
          FROM spans s
         CROSS JOIN LATERAL (
             SELECT a.activity_at, a.id FROM activities a
              WHERE a.user_id = s.user_id
                AND a.activity_at >= greatest(s.joined_at, now() - win)
                AND (s.left_at IS NULL OR a.activity_at < s.left_at)
                AND (NOT a.is_private OR a.user_id = me)
              ORDER BY a.activity_at DESC, a.id DESC
              LIMIT lim
         ) k
         ORDER BY k.activity_at DESC, k.id DESC
         LIMIT lim
    )
    SELECT p.id, p.user_id, u.name AS user_name, u.avatar_url AS user_avatar_url,
           p.distance, p.duration, p.pace, p.activity_at, p.notes, p.is_private,
           p.source, p.external_id, p.created_at, p.updated_at
      FROM picked JOIN activities p ON p.id = picked.id JOIN users u ON u.id = p.user_id
     ORDER BY p.activity_at DESC, p.id DESC;
END
$$;
