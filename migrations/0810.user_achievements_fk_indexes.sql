-- Deleting a walk sets the activity_id of the achievements it earned to NULL, and deleting a
-- DRAFT or CANCELLED goal does the same to goal_id (ON DELETE SET NULL). Without an index on
-- those columns each delete read the whole user_achievements table for the rows to update:
-- ≈ 10 ms of a walk's delete at 73 000 achievements on the scale data set, growing with every
-- award. Partial: most achievements name no walk or no goal, and the FK's lookup is an
-- equality, which no NULL can match.
-- depends: 0800.progress_reached_plpgsql

CREATE INDEX user_achievements_by_activity ON user_achievements (activity_id)
    WHERE activity_id IS NOT NULL;
CREATE INDEX user_achievements_by_goal ON user_achievements (goal_id)
    WHERE goal_id IS NOT NULL;
