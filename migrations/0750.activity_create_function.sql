-- The user's side of logging an activity as one server call (docs/architecture.md#write-path):
-- the user_stats lock, the insert with its replay and rate-limit guards, the local day's totals,
-- the streak and the totals, each a statement of its own in that order, as the write path ran
-- them from Python before. One round trip instead of four, and plans kept for the session.
-- depends: 0740.team_progress_functions

-- A run of consecutive local days (docs/domain.md#streaks) from a set of active days: consecutive
-- days share (day - row number). The latest island is the streak ending at the last active day.
CREATE FUNCTION streak_of_days(days date[],
                               OUT current integer, OUT longest integer, OUT last_day date)
    LANGUAGE sql IMMUTABLE AS $$
    WITH islands AS (
        SELECT max(d) AS last_day, count(*)::int AS len
          FROM (SELECT d, d - (row_number() OVER (ORDER BY d))::int AS grp
                  FROM (SELECT DISTINCT d FROM unnest(days) AS u (d)) x) y
         GROUP BY grp)
    SELECT coalesce((SELECT len FROM islands ORDER BY last_day DESC LIMIT 1), 0),
           coalesce((SELECT max(len) FROM islands), 0),
           (SELECT max(last_day) FROM islands)
$$;

-- Count one activity at `at` into its local day, in the zone the users row has now (the write
-- path runs this after it locked the user's stats row: a timezone change that committed while it
-- waited rebuilt the days in the new zone). Creates, edits and deletes all count through here.
CREATE FUNCTION user_daily_add(usr uuid, at timestamptz, dist numeric, dur integer)
    RETURNS TABLE (day date, activities integer)
    LANGUAGE sql AS $$
    INSERT INTO user_daily_totals AS d (user_id, day, distance, duration, activities)
    SELECT u.id, (at AT TIME ZONE u.timezone)::date, dist, dur, 1 FROM users u WHERE u.id = usr
    ON CONFLICT ON CONSTRAINT user_daily_totals_pkey DO UPDATE
       SET distance = d.distance + EXCLUDED.distance, duration = d.duration + EXCLUDED.duration,
           activities = d.activities + 1
    RETURNING d.day, d.activities
$$;

-- Move a user's totals by the deltas and set the streak and last activity computed under the
-- stats lock; the row as updated, with the user's timezone.
CREATE FUNCTION user_stats_apply(usr uuid, d_distance numeric, d_duration bigint,
                                 d_count integer, cur integer, longest integer, last_day date,
                                 last_at timestamptz)
    RETURNS TABLE (user_id uuid, total_distance numeric, total_duration bigint,
                   total_activities integer, current_streak integer, longest_streak integer,
                   last_activity_at timestamptz, last_activity_date date, timezone text)
    LANGUAGE sql AS $$
    UPDATE user_stats s SET total_distance = s.total_distance + d_distance,
           total_duration = s.total_duration + d_duration,
           total_activities = s.total_activities + d_count,
           current_streak = cur, longest_streak = longest, last_activity_date = last_day,
           last_activity_at = last_at
      FROM users u
     WHERE s.user_id = usr AND u.id = s.user_id
    RETURNING s.user_id, s.total_distance, s.total_duration, s.total_activities,
              s.current_streak, s.longest_streak, s.last_activity_at, s.last_activity_date,
              u.timezone::text
$$;

-- Log one activity of `usr`. outcome:
--   CREATED  the activity was written; prev_* is the stats row before, the other stats columns
--            after (with the user's timezone), held_achievements what the user had already
--            earned (so the write only tries to award what is new to them)
--   REPLAY   the same import (source, external id) or the same body logged in the last 24 hours
--            is already there: the activity columns are that one's, nothing was written
--   LIMITED  `lim` activities were created in the last hour: frees_at says when one more fits
-- The replay is the oldest match: the same millisecond, distance to the centimetre, duration,
-- notes, privacy and source (a client retrying without an Idempotency-Key). The user_stats lock
-- is taken first and serializes the user's writes, so two identical racing bodies are one write
-- and one replay.
CREATE FUNCTION activity_create(usr uuid, dist numeric, dur integer, at timestamptz,
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
    streak record;
BEGIN
    SELECT * INTO before FROM user_stats s WHERE s.user_id = usr FOR UPDATE;
    IF NOT FOUND THEN  -- every user has a row from sign-up; this is the fallback
        INSERT INTO user_stats (user_id) VALUES (usr) ON CONFLICT DO NOTHING;
        SELECT * INTO before FROM user_stats s WHERE s.user_id = usr FOR UPDATE;
    END IF;

    SELECT a.* INTO made FROM activities a
     WHERE a.user_id = usr
       AND CASE WHEN ext IS NOT NULL
                THEN a.source = src AND a.external_id = ext
                ELSE a.activity_at >= date_trunc('milliseconds', at)
                     AND a.activity_at < date_trunc('milliseconds', at) + interval '1 millisecond'
                     AND a.created_at > now() - interval '24 hours'
                     AND round(a.distance, 2) = round(dist, 2) AND a.duration = dur
                     AND a.notes IS NOT DISTINCT FROM note
                     AND a.is_private = private AND a.source = src
           END
     ORDER BY a.created_at LIMIT 1;
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
        SELECT CASE WHEN local_day = before.last_activity_date + 1 THEN before.current_streak + 1
                    ELSE 1 END AS current, NULL::int AS longest, local_day AS last_day
          INTO streak;
        streak.longest := greatest(before.longest_streak, streak.current);
    ELSIF local_day = before.last_activity_date THEN
        SELECT before.current_streak AS current, before.longest_streak AS longest,
               before.last_activity_date AS last_day
          INTO streak;
    ELSE
        SELECT * INTO streak
          FROM streak_of_days(ARRAY(SELECT t.day FROM user_daily_totals t
                                     WHERE t.user_id = usr));
    END IF;

    RETURN QUERY
    SELECT 'CREATED'::text, made.id, made.user_id, made.distance, made.duration, made.pace,
           made.activity_at, made.notes, made.is_private, made.source, made.external_id,
           made.created_at, made.updated_at, NULL::timestamptz,
           before.total_distance, before.total_activities, before.current_streak,
           s.total_distance, s.total_duration, s.total_activities, s.current_streak,
           s.longest_streak, s.last_activity_at, s.last_activity_date, s.timezone,
           ARRAY(SELECT h.achievement_id FROM user_achievements h WHERE h.user_id = usr)
      FROM user_stats_apply(usr, made.distance, made.duration, 1, streak.current,
                            streak.longest, streak.last_day,
                            greatest(before.last_activity_at, made.activity_at)) s;
END
$$;
