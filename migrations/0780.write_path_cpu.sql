-- Server CPU of logging a walk (docs/architecture.md#write-path, "What a write costs"). Same
-- signatures, results and statement order as migrations/0750, so the previous release calls
-- them unchanged during a deploy:
-- - user_daily_add and user_stats_apply in PL/pgSQL: a LANGUAGE sql function that cannot be
--   inlined (these write) is parsed and planned again on every call, while PL/pgSQL keeps each
--   statement's plan for the session. The two were a fifth of the write's server CPU.
-- - the replay check as one lookup per kind: an import by its unique (source, external id); a
--   body by the walks of that very millisecond (activities_by_user_time), the 24-hour window
--   and the other fields then filtered from those. As one CASE the generic plan read every
--   walk of the user's last day, or of their whole history, to find none.
-- - the streak as plain assignments rather than single-row queries.
-- - user_id_by_sub: the users lookup every signed-in request starts with, as a PL/pgSQL function
--   so that its plan is kept too: as a plain statement it was planned on every request.
-- - activities_public_time dropped: no statement reads it (the public boards aggregate through
--   activities_by_user_time, every other read of activities starts from a user or an id), and
--   it was the one index every walk's insert went to the same leaf page of.
-- depends: 0760.goals_by_creator

-- The live user of a Cognito sub (NULL when none): the request's first statement.
CREATE FUNCTION user_id_by_sub(sub text) RETURNS uuid
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT u.id FROM users u WHERE u.cognito_id = sub AND u.deleted_at IS NULL);
END
$$;

-- As in 0750: one activity at `at` into its local day, in the zone the users row has now.
CREATE OR REPLACE FUNCTION user_daily_add(usr uuid, at timestamptz, dist numeric, dur integer)
    RETURNS TABLE (day date, activities integer)
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    INSERT INTO user_daily_totals AS d (user_id, day, distance, duration, activities)
    SELECT u.id, (at AT TIME ZONE u.timezone)::date, dist, dur, 1 FROM users u WHERE u.id = usr
    ON CONFLICT ON CONSTRAINT user_daily_totals_pkey DO UPDATE
       SET distance = d.distance + EXCLUDED.distance, duration = d.duration + EXCLUDED.duration,
           activities = d.activities + 1
    RETURNING d.day, d.activities;
END
$$;

-- As in 0750: the totals moved by the deltas, the streak and last activity set; the row as
-- updated, with the user's timezone.
CREATE OR REPLACE FUNCTION user_stats_apply(usr uuid, d_distance numeric, d_duration bigint,
                                 d_count integer, cur integer, longest integer, last_day date,
                                 last_at timestamptz)
    RETURNS TABLE (user_id uuid, total_distance numeric, total_duration bigint,
                   total_activities integer, current_streak integer, longest_streak integer,
                   last_activity_at timestamptz, last_activity_date date, timezone text)
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    UPDATE user_stats s SET total_distance = s.total_distance + d_distance,
           total_duration = s.total_duration + d_duration,
           total_activities = s.total_activities + d_count,
           current_streak = cur, longest_streak = longest, last_activity_date = last_day,
           last_activity_at = last_at
      FROM users u
     WHERE s.user_id = usr AND u.id = s.user_id
    RETURNING s.user_id, s.total_distance, s.total_duration, s.total_activities,
              s.current_streak, s.longest_streak, s.last_activity_at, s.last_activity_date,
              u.timezone::text;
END
$$;

-- As in 0750 (outcomes CREATED, REPLAY, LIMITED; the user_stats lock first).
CREATE OR REPLACE FUNCTION activity_create(usr uuid, dist numeric, dur integer, at timestamptz,
                                note text, private boolean, src text, ext text, lim integer)
    RETURNS TABLE (outcome text, id uuid, user_id uuid, distance numeric, duration integer,
                   pace numeric, activity_at timestamptz, notes text, is_private boolean,
                   source text, external_id text, created_at timestamptz,
                   updated_at timestamptz, frees_at timestamptz,
                   prev_total_distance numeric, prev_total_activities integer,
                   prev_current_streak integer,
                   total_distance numeric, total_duration bigint, total_activities integer,
                   current_streak integer, longest_streak integer,
                   last_activity_at timestamptz, last_activity_date date, timezone text,
                   held_achievements uuid[])
    LANGUAGE plpgsql AS $$
DECLARE
    before user_stats%ROWTYPE;
    made activities%ROWTYPE;
    local_day date;
    s_current integer;
    s_longest integer;
    s_last date;
BEGIN
    SELECT * INTO before FROM user_stats s WHERE s.user_id = usr FOR UPDATE;
    IF NOT FOUND THEN  -- every user has a row from sign-up; this is the fallback
        INSERT INTO user_stats (user_id) VALUES (usr) ON CONFLICT DO NOTHING;
        SELECT * INTO before FROM user_stats s WHERE s.user_id = usr FOR UPDATE;
    END IF;

    -- The replay is the oldest match: the same import, or the same millisecond, distance to the
    -- centimetre, duration, notes, privacy and source logged in the last 24 hours. The
    -- millisecond's walks are fenced off first, so the plan starts from them.
    IF ext IS NOT NULL THEN
        SELECT a.* INTO made FROM activities a
         WHERE a.user_id = usr AND a.source = src AND a.external_id = ext;
    ELSE
        WITH same_ms AS MATERIALIZED (
            SELECT a.* FROM activities a
             WHERE a.user_id = usr
               AND a.activity_at >= date_trunc('milliseconds', at)
               AND a.activity_at < date_trunc('milliseconds', at) + interval '1 millisecond')
        SELECT a.* INTO made FROM same_ms a
         WHERE a.created_at > now() - interval '24 hours'
           AND round(a.distance, 2) = round(dist, 2) AND a.duration = dur
           AND a.notes IS NOT DISTINCT FROM note
           AND a.is_private = private AND a.source = src
         ORDER BY a.created_at LIMIT 1;
    END IF;
    IF FOUND THEN
        RETURN QUERY SELECT 'REPLAY', made.id, made.user_id, made.distance, made.duration,
            made.pace, made.activity_at, made.notes, made.is_private, made.source,
            made.external_id, made.created_at, made.updated_at, NULL::timestamptz,
            NULL::numeric, NULL::int, NULL::int, NULL::numeric, NULL::bigint,
            NULL::int, NULL::int, NULL::int, NULL::timestamptz, NULL::date, NULL::text,
            NULL::uuid[];
        RETURN;
    END IF;

    IF (SELECT count(*) FROM (SELECT 1 FROM activities a
                               WHERE a.user_id = usr AND a.created_at > now() - interval '1 hour'
                               LIMIT lim) recent) >= lim THEN
        RETURN QUERY SELECT 'LIMITED', NULL::uuid, usr, NULL::numeric, NULL::int, NULL::numeric,
            NULL::timestamptz, NULL::text, NULL::boolean, NULL::text, NULL::text,
            NULL::timestamptz, NULL::timestamptz,
            (SELECT a.created_at + interval '1 hour' FROM activities a
              WHERE a.user_id = usr AND a.created_at > now() - interval '1 hour'
              ORDER BY a.created_at DESC OFFSET lim - 1 LIMIT 1),
            NULL::numeric, NULL::int, NULL::int, NULL::numeric, NULL::bigint,
            NULL::int, NULL::int, NULL::int, NULL::timestamptz, NULL::date, NULL::text,
            NULL::uuid[];
        RETURN;
    END IF;

    INSERT INTO activities AS a (user_id, distance, duration, activity_at, notes, is_private,
                                 source, external_id)
    VALUES (usr, round(dist, 3), dur, at, note, private, src, ext)
    RETURNING a.* INTO made;

    SELECT a.day INTO local_day
      FROM user_daily_add(usr, made.activity_at, made.distance, made.duration) a;

    -- The streak: incremental when the day is at or after the last active day, else (a
    -- back-dated walk) recomputed from the daily totals, which already count this one.
    IF before.last_activity_date IS NULL OR local_day > before.last_activity_date THEN
        s_current := CASE WHEN local_day = before.last_activity_date + 1
                          THEN before.current_streak + 1 ELSE 1 END;
        s_longest := greatest(before.longest_streak, s_current);
        s_last := local_day;
    ELSIF local_day = before.last_activity_date THEN
        s_current := before.current_streak;
        s_longest := before.longest_streak;
        s_last := before.last_activity_date;
    ELSE
        SELECT k.current, k.longest, k.last_day INTO s_current, s_longest, s_last
          FROM streak_of_days(ARRAY(SELECT t.day FROM user_daily_totals t
                                     WHERE t.user_id = usr)) k;
    END IF;

    RETURN QUERY
    SELECT 'CREATED'::text, made.id, made.user_id, made.distance, made.duration, made.pace,
           made.activity_at, made.notes, made.is_private, made.source, made.external_id,
           made.created_at, made.updated_at, NULL::timestamptz,
           before.total_distance, before.total_activities, before.current_streak,
           s.total_distance, s.total_duration, s.total_activities, s.current_streak,
           s.longest_streak, s.last_activity_at, s.last_activity_date, s.timezone,
           ARRAY(SELECT h.achievement_id FROM user_achievements h WHERE h.user_id = usr)
      FROM user_stats_apply(usr, made.distance, made.duration, 1, s_current, s_longest, s_last,
                            greatest(before.last_activity_at, made.activity_at)) s;
END
$$;

DROP INDEX activities_public_time;
