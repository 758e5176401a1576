-- Each walk's entry of the data export (docs/domain.md#data-export) as a stored generated
-- column, rendered when the walk is written or changed instead of on every export: for a user
-- with 5 000 walks, rendering them was ≈ 25 ms of the export statement's ≈ 32 ms (to_char
-- alone ≈ 9 ms); aggregating the stored texts takes ≈ 7 ms. The text is the one
-- milequest.db.json_text rendered at read time, field for field (the keys and order of the
-- DataExport model's activities), with every timestamp in UTC (`+00:00`, what the API's
-- sessions, in UTC, always sent).
--
-- A generated column must be IMMUTABLE; to_char, concat and float output are STABLE only
-- because of settings this text does not use or the application never changes: the formats
-- below have no locale-dependent fields, timestamps are converted to UTC before formatting,
-- and float8 output follows extra_float_digits, left at its default (shortest exact text) by
-- every session of the application. Hence activity_export_json is declared IMMUTABLE (its
-- helpers are declared for what they call, STABLE, so that they can be inlined).
--
-- The column's expression cannot read `pace` (a generated column cannot read another), so
-- activity_pace repeats pace's expression of migrations/0005; tests/integration/users/
-- test_export_document.py checks the two agree.
--
-- Adding a stored column rewrites the table under an exclusive lock: ≈ 11 s for a million
-- walks on the benchmark machine, during which walks cannot be logged.
-- depends: 0860.drop_dashboard_team_cards

-- A timestamptz as `datetime.isoformat()` writes a UTC datetime: six-digit microseconds or
-- none, `+00:00`, in quotes; `null` for NULL.
CREATE FUNCTION json_utc_isoformat(ts timestamptz) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(replace(to_char(ts AT TIME ZONE 'UTC',
                                    '\"YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"\"'),
                            '.000000', ''),
                    'null');

-- A numeric as Python's json.dumps(float(value)): trailing zeros dropped, whole as `N.0`.
CREATE FUNCTION json_decimal(n numeric) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(CASE WHEN n = trunc(n) THEN trunc(n)::text || '.0'
                         ELSE trim_scale(n)::text END,
                    'null');

-- Seconds per kilometre, as activities.pace (migrations/0005).
CREATE FUNCTION activity_pace(distance numeric, duration integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN round(duration / nullif(distance / 1000, 0), 2);

-- PL/pgSQL, one expression: its plan is kept and the helpers above are inlined into it, ≈ 6 µs
-- a walk. As an SQL function it is not inlined (declared IMMUTABLE over STABLE functions), and
-- each walk ran it and its helpers through the SQL-function executor: ≈ 53 µs.
CREATE FUNCTION activity_export_json(
    id uuid, distance numeric, duration integer, activity_at timestamptz, notes text,
    is_private boolean, source text, external_id text, created_at timestamptz,
    updated_at timestamptz, location geography
) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
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
             ELSE concat('{"lat":', ST_Y(location::geometry)::text,
                         ',"lng":', ST_X(location::geometry)::text, '}') END,
        '}');
END $$;

ALTER TABLE activities ADD COLUMN export_json text GENERATED ALWAYS AS (
    activity_export_json(id, distance, duration, activity_at, notes, is_private, source,
                         external_id, created_at, updated_at, location)
) STORED;
