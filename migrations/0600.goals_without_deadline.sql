-- A goal may have no deadline (end_date NULL): it never expires. CHECK (start_date < end_date)
-- already passes when end_date is NULL.
-- depends: 0100.users_deleted_identity

ALTER TABLE team_goals ALTER COLUMN end_date DROP NOT NULL;
