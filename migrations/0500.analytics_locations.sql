-- Analytics (DOMAIN.md, Analytics): private activity locations and what recommendations scan.
-- depends: 0005.activities 0004.goals

-- Optional and private: only its owner ever reads it; erased on account deletion.
ALTER TABLE activities ADD COLUMN location geography(Point, 4326);
-- "My last 10 located walks" (the default `near` of recommendations).
CREATE INDEX activities_located_by_user ON activities (user_id, activity_at DESC)
    WHERE location IS NOT NULL;
-- Recommendations: active routes within 25 km of a point (ST_DWithin on geography).
CREATE INDEX team_goals_active_route ON team_goals USING gist (route_geom)
    WHERE status = 'ACTIVE';
-- Members' recent walks summed per team (pace sample, weekly series, similar pace): an
-- index-only scan instead of a heap fetch per walk (measured: recommendations at 1 000 teams).
CREATE INDEX activities_user_time_distance ON activities (user_id, activity_at) INCLUDE (distance);
