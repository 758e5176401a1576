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
