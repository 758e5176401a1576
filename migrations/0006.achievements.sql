-- Achievement catalog (seeded here) and what each user earned.
-- depends: 0004.goals 0005.activities

CREATE TABLE achievements (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9_]{1,64}$'),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    description text NOT NULL CHECK (char_length(description) <= 500),
    icon        text NOT NULL CHECK (char_length(icon) BETWEEN 1 AND 64),
    category    text NOT NULL
                CHECK (category IN ('DISTANCE', 'STREAK', 'ACTIVITY', 'PACE', 'TEAM', 'SPECIAL')),
    -- {"type": ..., parameters}; validated by the pydantic criteria models.
    criteria    jsonb NOT NULL CHECK (jsonb_typeof(criteria) = 'object' AND criteria ? 'type'),
    sort_order  integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- The write path asks "which achievements have criteria of type X": a containment query.
CREATE INDEX achievements_criteria ON achievements USING gin (criteria jsonb_path_ops);
CREATE TRIGGER achievements_updated_at BEFORE UPDATE ON achievements
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

INSERT INTO achievements (key, name, description, icon, category, criteria, sort_order) VALUES
  ('first_steps', 'First Steps', 'Log your first walk.', 'footprints', 'ACTIVITY',
   '{"type": "activity_count", "count": 1}', 10),
  ('ten_walks', 'Regular', 'Log 10 walks.', 'calendar-check', 'ACTIVITY',
   '{"type": "activity_count", "count": 10}', 20),
  ('hundred_walks', 'Centurion', 'Log 100 walks.', 'medal', 'ACTIVITY',
   '{"type": "activity_count", "count": 100}', 30),
  ('distance_10k', '10 km Club', 'Walk 10 km in total.', 'route', 'DISTANCE',
   '{"type": "total_distance", "meters": 10000}', 110),
  ('distance_100k', '100 km Club', 'Walk 100 km in total.', 'route', 'DISTANCE',
   '{"type": "total_distance", "meters": 100000}', 120),
  ('distance_500k', '500 km Club', 'Walk 500 km in total.', 'map', 'DISTANCE',
   '{"type": "total_distance", "meters": 500000}', 130),
  ('distance_1000k', 'Thousand Miler', 'Walk 1 000 km in total.', 'globe', 'DISTANCE',
   '{"type": "total_distance", "meters": 1000000}', 140),
  ('long_walk_10k', 'Long Walk', 'Walk 10 km in a single activity.', 'mountain', 'DISTANCE',
   '{"type": "single_activity_distance", "meters": 10000}', 150),
  ('half_marathon', 'Half Marathon', 'Cover 21.1 km in a single activity.', 'trophy', 'DISTANCE',
   '{"type": "single_activity_distance", "meters": 21097.5}', 160),
  ('marathon', 'Marathon', 'Cover 42.2 km in a single activity.', 'trophy', 'DISTANCE',
   '{"type": "single_activity_distance", "meters": 42195}', 170),
  ('streak_3', 'On a Roll', 'Walk 3 days in a row.', 'flame', 'STREAK',
   '{"type": "streak", "days": 3}', 210),
  ('streak_7', 'Week Warrior', 'Walk 7 days in a row.', 'flame', 'STREAK',
   '{"type": "streak", "days": 7}', 220),
  ('streak_30', 'Unstoppable', 'Walk 30 days in a row.', 'flame', 'STREAK',
   '{"type": "streak", "days": 30}', 230),
  ('brisk_5k', 'Brisk Walker', 'Walk at least 5 km at 9 min/km or faster.', 'zap', 'PACE',
   '{"type": "pace", "max_seconds_per_km": 540, "min_meters": 5000}', 310),
  ('goal_completed', 'Destination Reached', 'Be part of a team that completes a goal.', 'flag',
   'TEAM', '{"type": "team_goal_completed", "count": 1}', 410),
  ('five_goals', 'Explorer', 'Be part of 5 completed team goals.', 'compass', 'TEAM',
   '{"type": "team_goal_completed", "count": 5}', 420),
  ('top_contributor', 'Trailblazer', 'Contribute the most distance to a completed goal.', 'star',
   'TEAM', '{"type": "top_contributor"}', 430),
  ('early_bird', 'Early Bird', 'Log a walk before 7 am local time.', 'sunrise', 'SPECIAL',
   '{"type": "early_bird", "before_hour": 7}', 510);

CREATE TABLE user_achievements (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    achievement_id uuid NOT NULL REFERENCES achievements (id) ON DELETE CASCADE,
    -- What earned it, for display; kept even if that activity or goal goes away.
    activity_id    uuid REFERENCES activities (id) ON DELETE SET NULL,
    goal_id        uuid REFERENCES team_goals (id) ON DELETE SET NULL,
    earned_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, achievement_id)
);
CREATE INDEX user_achievements_by_user ON user_achievements (user_id, earned_at DESC);
