-- Users and their maintained aggregates.
-- depends: 0001.extensions

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    cognito_id      text NOT NULL CHECK (char_length(cognito_id) BETWEEN 1 AND 128),
    email           citext NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    avatar_url      text CHECK (char_length(avatar_url) <= 2048),
    email_verified  boolean NOT NULL DEFAULT false,
    -- IANA zone name; validated by the application (zoneinfo) before it is written.
    timezone        text NOT NULL DEFAULT 'UTC' CHECK (char_length(timezone) BETWEEN 1 AND 64),
    preferred_units text NOT NULL DEFAULT 'metric' CHECK (preferred_units IN ('metric', 'imperial')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz
);
-- Live identities and emails are unique; a deleted account frees its email for a new sign-up.
CREATE UNIQUE INDEX users_cognito_id_live ON users (cognito_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_email_live ON users (email) WHERE deleted_at IS NULL;
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One row per user, changed only by atomic increments inside the activity write transaction
-- (and repaired by the reconciliation job). Distances are exact decimals so a recomputation
-- from raw rows compares equal, whatever the order of concurrent writes.
CREATE TABLE user_stats (
    user_id            uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    total_distance     numeric(16, 3) NOT NULL DEFAULT 0 CHECK (total_distance >= 0),
    total_duration     bigint NOT NULL DEFAULT 0 CHECK (total_duration >= 0),
    total_activities   integer NOT NULL DEFAULT 0 CHECK (total_activities >= 0),
    -- Streak as of last_activity_date (user's local date); "current" is derived at read time.
    current_streak     integer NOT NULL DEFAULT 0 CHECK (current_streak >= 0),
    longest_streak     integer NOT NULL DEFAULT 0 CHECK (longest_streak >= current_streak),
    last_activity_at   timestamptz,
    last_activity_date date,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER user_stats_updated_at BEFORE UPDATE ON user_stats
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
