-- activity_export_json (0870) resolves the names it calls (json_decimal, json_utc_isoformat,
-- activity_pace, PostGIS's ST_X/ST_Y) when it runs, and pg_restore runs it, restoring
-- activities.export_json, with an empty search_path: the restore failed ("function
-- json_decimal(numeric) does not exist"; tests/integration/jobs/test_restore_drill.py). The
-- function keeps the migration's search_path instead: ≈ 7.5 against ≈ 7 µs a walk.
-- depends: 0870.activity_export_text

ALTER FUNCTION activity_export_json(uuid, numeric, integer, timestamptz, text, boolean, text,
                                    text, timestamptz, timestamptz, geography)
    SET search_path FROM CURRENT;
