-- Team goals (routes) and their maintained progress.
-- depends: 0003.teams

CREATE TABLE team_goals (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id         uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    description     text CHECK (char_length(description) <= 1000),
    status          text NOT NULL DEFAULT 'DRAFT'
                    CHECK (status IN ('DRAFT', 'ACTIVE', 'COMPLETED', 'FAILED', 'CANCELLED')),
    -- {lat, lng, address?}; validated by pydantic models before they are written.
    start_location  jsonb NOT NULL CHECK (jsonb_typeof(start_location) = 'object'),
    end_location    jsonb NOT NULL CHECK (jsonb_typeof(end_location) = 'object'),
    waypoints       jsonb NOT NULL DEFAULT '[]'
                    CHECK (jsonb_typeof(waypoints) = 'array' AND jsonb_array_length(waypoints) <= 20),
    -- Segments, cumulative distances, bounds, encoded polyline, provider.
    route_data      jsonb NOT NULL CHECK (jsonb_typeof(route_data) = 'object'),
    route_geom      geography(LineString, 4326) NOT NULL,
    target_distance numeric(12, 3) NOT NULL
                    CHECK (target_distance > 0 AND target_distance <= 50000000),
    start_date      timestamptz NOT NULL,
    end_date        timestamptz NOT NULL,
    completed_at    timestamptz,
    final_stats     jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (start_date < end_date),
    CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL))
);
-- The rule "at most one ACTIVE goal per team" lives in the database.
CREATE UNIQUE INDEX team_goals_one_active ON team_goals (team_id) WHERE status = 'ACTIVE';
CREATE INDEX team_goals_by_team ON team_goals (team_id, created_at DESC, id DESC);
CREATE INDEX team_goals_route ON team_goals USING gist (route_geom);
CREATE INDEX team_goals_active_end ON team_goals (end_date) WHERE status = 'ACTIVE';
CREATE TRIGGER team_goals_updated_at BEFORE UPDATE ON team_goals
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One row per goal; counters change only by atomic increments in the activity write path.
CREATE TABLE team_progress (
    goal_id            uuid PRIMARY KEY REFERENCES team_goals (id) ON DELETE CASCADE,
    team_id            uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    total_distance     numeric(16, 3) NOT NULL DEFAULT 0 CHECK (total_distance >= 0),
    total_activities   integer NOT NULL DEFAULT 0 CHECK (total_activities >= 0),
    last_activity_at   timestamptz,
    -- Percent milestones (25, 50, 75, 100) and waypoint indexes already notified: each once.
    milestones_reached smallint[] NOT NULL DEFAULT '{}',
    waypoints_reached  smallint[] NOT NULL DEFAULT '{}',
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX team_progress_by_team ON team_progress (team_id);
CREATE TRIGGER team_progress_updated_at BEFORE UPDATE ON team_progress
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
