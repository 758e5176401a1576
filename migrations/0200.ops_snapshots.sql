-- The monitoring job's previous readings (table sizes, cumulative counters), so each run can
-- report growth and deltas since the last one. One row per reading name, overwritten each run.
-- depends: 0100.users_deleted_identity

CREATE TABLE ops_snapshots (
    name     text PRIMARY KEY CHECK (char_length(name) BETWEEN 1 AND 64),
    taken_at timestamptz NOT NULL DEFAULT now(),
    data     jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object')
);
