-- Two reads whose planning was nearly all of their cost, as functions with kept generic plans
-- (as migrations/0840; docs/architecture.md#kept-plans): a public profile planned in ≈ 0.66 ms
-- and ran in ≈ 0.06 ms, my pending invites ≈ 0.39 against ≈ 0.04 (EXPLAIN ANALYZE on the scale
-- data set). Each is the statement the application sent, its parameters as the arguments.
-- Expand only: nothing older calls these functions.
-- depends: 0840.read_plans

-- Name, avatar and public-activity totals of a live user who is the viewer or shares a live
-- team with the viewer; no row otherwise (milequest.db.users.public_profile).
CREATE FUNCTION user_public_profile(viewer uuid, usr uuid)
    RETURNS TABLE (id uuid, name text, avatar_url text, stats json)
    LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY
    SELECT u.id, u.name, u.avatar_url,
           json_build_object('total_distance', s.total_distance,
                             'total_activities', s.total_activities) AS stats
      FROM users u
     CROSS JOIN LATERAL (
           SELECT COALESCE(sum(a.distance), 0) AS total_distance,
                  count(*) AS total_activities
             FROM activities a WHERE a.user_id = u.id AND NOT a.is_private) s
     WHERE u.id = usr AND u.deleted_at IS NULL
       AND (u.id = viewer OR EXISTS (
             SELECT 1
               FROM team_members mine
               JOIN team_members theirs
                 ON theirs.team_id = mine.team_id AND theirs.left_at IS NULL
               JOIN teams t ON t.id = mine.team_id AND t.deleted_at IS NULL
              WHERE mine.user_id = viewer AND mine.left_at IS NULL
                AND theirs.user_id = u.id));
END
$$;

-- Pending, unexpired invites addressed to the user (by id or by email) to live teams the user
-- is not already a member of; newest first (milequest.db.team_invites.pending_for_user).
CREATE FUNCTION user_pending_invites(usr uuid)
    RETURNS TABLE (id uuid, code text, expires_at timestamptz, created_at timestamptz,
                   team json, invited_by json)
    LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY
    SELECT i.id, i.code, i.expires_at, i.created_at,
           json_build_object('id', t.id, 'name', t.name, 'avatar_url', t.avatar_url) AS team,
           CASE WHEN inv.id IS NOT NULL THEN json_build_object(
               'id', inv.id, 'name', inv.name, 'avatar_url', inv.avatar_url) END AS invited_by
      FROM users me
      JOIN team_invites i ON (i.user_id = me.id OR i.email = me.email)
      JOIN teams t ON t.id = i.team_id AND t.deleted_at IS NULL
      LEFT JOIN users inv ON inv.id = i.invited_by
     WHERE me.id = usr AND i.status = 'PENDING' AND i.expires_at > now()
       AND NOT EXISTS (SELECT 1 FROM team_members m
                       WHERE m.team_id = t.id AND m.user_id = me.id AND m.left_at IS NULL)
     ORDER BY i.created_at DESC, i.id DESC
     LIMIT 200;
END
$$;
