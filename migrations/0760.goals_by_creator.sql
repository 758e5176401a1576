-- The data export lists the goals a user created (db/user_export.py, docs/domain.md#data-export):
-- without an index on the creator that is a scan of every team's goals on every export (2-3 ms
-- at 1 000 goals, growing with them). Ordered as the export lists them.
-- depends: 0750.activity_create_function

CREATE INDEX team_goals_by_creator ON team_goals (created_by, created_at, id);
