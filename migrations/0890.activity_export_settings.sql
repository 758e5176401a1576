-- activity_export_json (0870) made IMMUTABLE in fact, not only in name:
-- - float text (a walk's lat/lng) follows extra_float_digits, which is the writing session's:
--   the function now sets the default (1: the shortest text that reads back exactly, as
--   Python's repr) for itself, whatever the session says;
-- - an empty point's ST_X/ST_Y are NULL, which concat dropped (`{"lat":,"lng":}`): now `null`,
--   as the read-time rendering wrote (the API never writes an empty point).
-- The body is 0870's with those two coalesces. The stored entries already written are the
-- same text as what this version renders for them: every session of the application kept the
-- default, and none wrote an empty point.
--
-- A change to what these functions render does not re-render the entries already stored: such
-- a migration must also rewrite them (an UPDATE of each row recomputes its generated column,
-- e.g. `UPDATE activities SET user_id = user_id` in batches of ids).
-- depends: 0880.activity_export_search_path

CREATE OR REPLACE FUNCTION activity_export_json(
    id uuid, distance numeric, duration integer, activity_at timestamptz, notes text,
    is_private boolean, source text, external_id text, created_at timestamptz,
    updated_at timestamptz, location geography
) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path FROM CURRENT
    SET extra_float_digits = 1 AS $$
BEGIN
    RETURN concat(
        '{"id":"', id::text,
        '","distance":', json_decimal(distance),
        ',"duration":', duration::text,
        ',"pace":', json_decimal(activity_pace(distance, duration)),
        ',"activityAt":', json_utc_isoformat(activity_at),
        ',"notes":', coalesce(to_json(notes)::text, 'null'),
        ',"isPrivate":', is_private::text,
        ',"source":', to_json(source)::text,
        ',"externalId":', coalesce(to_json(external_id)::text, 'null'),
        ',"createdAt":', json_utc_isoformat(created_at),
        ',"updatedAt":', json_utc_isoformat(updated_at),
        ',"location":',
        CASE WHEN location IS NULL THEN 'null'
             ELSE concat('{"lat":', coalesce(ST_Y(location::geometry)::text, 'null'),
                         ',"lng":', coalesce(ST_X(location::geometry)::text, 'null'), '}') END,
        '}');
END $$;
