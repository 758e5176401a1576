-- The team side of the activity write path as two server functions (docs/architecture.md#write-path,
-- docs/domain.md#aggregates). Every create, edit and delete runs them in its transaction: one call
-- instead of two pipelined batches of ad-hoc statements, and PL/pgSQL keeps each statement's
-- plan for the session, so the hot writes stop paying the planner (about 1 ms of server CPU
-- per write at the 1 M-activity data set, most of a contended write's server time).
--
-- The semantics are those of separate statements under READ COMMITTED: a VOLATILE PL/pgSQL
-- function takes a new snapshot for each statement, so a statement after a lock wait sees
-- what the transaction that held the lock committed.
-- depends: 0720.user_daily_totals

-- Apply one goal's contribution delta, if the goal is still ACTIVE; no row when it is not
-- (completed, failed or cancelled: frozen). The row lock is its own statement first: a writer
-- that read the goal as ACTIVE may have waited there for the transaction that completed it, and
-- the UPDATE after it, with a new snapshot, then sees that commit and leaves the goal alone.
-- `at`: the added activity's time (NULL when nothing was added).
CREATE FUNCTION team_progress_add(goal uuid, d numeric, n integer, at timestamptz)
    RETURNS TABLE (goal_id uuid, team_id uuid, goal_name text, status text,
                   target_distance numeric, segment_ends float8[], total_distance numeric,
                   total_activities integer, last_activity_at timestamptz,
                   milestones_reached integer[], waypoints_reached integer[])
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM team_progress p WHERE p.goal_id = goal FOR UPDATE;
    IF NOT FOUND THEN
        -- Activation creates the row; this is the fallback for a goal that has none.
        INSERT INTO team_progress (goal_id, team_id)
            SELECT g.id, g.team_id FROM team_goals g WHERE g.id = goal
            ON CONFLICT ON CONSTRAINT team_progress_pkey DO NOTHING;
        PERFORM 1 FROM team_progress p WHERE p.goal_id = goal FOR UPDATE;
    END IF;
    RETURN QUERY
    WITH moved AS (
        UPDATE team_progress p SET total_distance = p.total_distance + d,
               total_activities = p.total_activities + n,
               last_activity_at = CASE WHEN at IS NULL THEN p.last_activity_at
                                       ELSE greatest(p.last_activity_at, at) END
        FROM team_goals live
        WHERE p.goal_id = goal AND live.id = p.goal_id AND live.status = 'ACTIVE'
        RETURNING p.*)
    SELECT m.goal_id, m.team_id, g.name::text, g.status::text, g.target_distance,
           ARRAY(SELECT coalesce(s ->> 'cumulativeDistance', s ->> 'cumulative_distance',
                                 '0')::float8
                   FROM jsonb_array_elements(coalesce(g.route_data -> 'segments', '[]'))
                        WITH ORDINALITY AS e(s, i) ORDER BY i),
           m.total_distance, m.total_activities, m.last_activity_at,
           m.milestones_reached::int[], m.waypoints_reached::int[]
    FROM moved m JOIN team_goals g ON g.id = m.goal_id;
END
$$;

-- Move a user's activity between goals: subtract (old_at, old_distance) from every goal it
-- counted for and add (new_at, new_distance) to every goal it counts for (NULL stamps: no such
-- side). Counting rule (docs/domain.md#aggregates): every ACTIVE goal of every live team where
-- the user was a live member at the timestamp, with the timestamp inside the goal's window.
--
-- Lock order, shared with goal status changes and reconciliation: the live teams the user
-- belonged to at either stamp (FOR SHARE, by id), then the progress rows by goal id. The goal
-- lookup runs after every team lock was granted, so a goal activated, completed or cancelled by
-- the transaction that held a team row is seen as it committed.
--
-- One row per goal whose progress moved (frozen goals have none), with whether the old and the
-- new activity counted for it.
CREATE FUNCTION team_progress_move(usr uuid, old_at timestamptz, old_distance numeric,
                                   new_at timestamptz, new_distance numeric)
    RETURNS TABLE (goal_id uuid, team_id uuid, goal_name text, status text,
                   target_distance numeric, segment_ends float8[], total_distance numeric,
                   total_activities integer, last_activity_at timestamptz,
                   milestones_reached integer[], waypoints_reached integer[],
                   counted_old boolean, counted_new boolean)
    LANGUAGE plpgsql AS $$
DECLARE
    goal uuid;
    in_old boolean;
    in_new boolean;
BEGIN
    PERFORM 1 FROM teams t
     WHERE t.deleted_at IS NULL
       AND EXISTS (SELECT 1 FROM team_members m
                    WHERE m.team_id = t.id AND m.user_id = usr
                      AND (m.joined_at <= old_at AND (m.left_at IS NULL OR m.left_at > old_at)
                           OR m.joined_at <= new_at AND (m.left_at IS NULL OR m.left_at > new_at)))
     ORDER BY t.id
       FOR SHARE OF t;
    FOR goal, in_old, in_new IN
        SELECT g.id, bool_or(s.side = 'old'), bool_or(s.side = 'new')
          FROM (VALUES ('old', old_at), ('new', new_at)) AS s (side, at)
          JOIN team_members m ON m.user_id = usr AND m.joined_at <= s.at
                             AND (m.left_at IS NULL OR m.left_at > s.at)
          JOIN teams t ON t.id = m.team_id AND t.deleted_at IS NULL
          JOIN team_goals g ON g.team_id = m.team_id AND g.status = 'ACTIVE'
                           AND s.at >= g.start_date AND (g.end_date IS NULL OR s.at <= g.end_date)
         GROUP BY g.id
         ORDER BY g.id
    LOOP
        RETURN QUERY
        SELECT a.*, in_old, in_new
          FROM team_progress_add(
                   goal,
                   CASE WHEN in_new THEN new_distance ELSE 0 END
                     - CASE WHEN in_old THEN old_distance ELSE 0 END,
                   in_new::int - in_old::int,
                   CASE WHEN in_new THEN new_at END) a;
    END LOOP;
END
$$;
