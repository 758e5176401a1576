-- Team-wide reads at scale (docs/analytics.md, "Query plans at scale"): the team feed, team
-- analytics' top contributors and the recommendations' near-route signal.
-- depends: 0500.analytics_locations

-- The team feed picks its page from each member's newest walks and top contributors sum each
-- member's public walks over a window: with is_private and the distance in the index, both
-- are index-only range scans, and only the page's rows are read from the table. Rebuilt in
-- place (same name and key) rather than added beside it: one index more on every activity
-- write would buy nothing the key alone does not already give.
DROP INDEX activities_by_user_time;
CREATE INDEX activities_by_user_time ON activities (user_id, activity_at DESC, id DESC)
    INCLUDE (is_private, distance);

-- "Route within 25 km of a point" (recommendations' NEAR_ROUTE, the public directory's `near`):
-- a goal's route runs thousands of kilometres, so its bounding box matches most points and the
-- GiST index on team_goals.route_geom filters nothing; ST_DWithin then measures every route
-- edge by edge (≈ 0.3 ms a route, ≈ 250 ms at 1 000 teams). The same edges one row each have
-- small boxes, so their GiST index finds the few near a point. A line's distance to a point is
-- its nearest edge's (each edge is the same geodesic segment as in the line), so "some edge
-- within r" is exactly ST_DWithin(route, point, r). Kept in step with team_goals by a trigger.
CREATE TABLE team_goal_route_edges (
    goal_id uuid NOT NULL REFERENCES team_goals (id) ON DELETE CASCADE,
    n       integer NOT NULL,
    edge    geography(LineString, 4326) NOT NULL,
    PRIMARY KEY (goal_id, n)
);
CREATE INDEX team_goal_route_edges_edge ON team_goal_route_edges USING gist (edge);

CREATE FUNCTION team_goal_route_edges_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM team_goal_route_edges WHERE goal_id = NEW.id;
    INSERT INTO team_goal_route_edges (goal_id, n, edge)
    SELECT NEW.id, d.path[1], d.geom::geography
      FROM ST_DumpSegments(NEW.route_geom::geometry) d;
    RETURN NULL;
END
$$;
CREATE TRIGGER team_goals_route_edges AFTER INSERT OR UPDATE OF route_geom ON team_goals
    FOR EACH ROW EXECUTE FUNCTION team_goal_route_edges_sync();

INSERT INTO team_goal_route_edges (goal_id, n, edge)
SELECT g.id, d.path[1], d.geom::geography
  FROM team_goals g CROSS JOIN LATERAL ST_DumpSegments(g.route_geom::geometry) d;
