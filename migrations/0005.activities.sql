-- Activities and the social features around them.
-- depends: 0002.users

CREATE TABLE activities (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- RESTRICT: accounts are soft-deleted and their activities kept so team totals never change.
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    distance    numeric(9, 3) NOT NULL CHECK (distance > 0 AND distance <= 200000),
    duration    integer NOT NULL CHECK (duration > 0 AND duration <= 86400),
    -- Seconds per kilometre; never faster than 2 min/km.
    pace        numeric(10, 2) GENERATED ALWAYS AS (round(duration / nullif(distance / 1000, 0), 2)) STORED,
    activity_at timestamptz NOT NULL CHECK (activity_at >= '2000-01-01T00:00:00Z'),
    notes       text CHECK (char_length(notes) <= 500),
    is_private  boolean NOT NULL DEFAULT false,
    source      text NOT NULL DEFAULT 'MANUAL'
                CHECK (source IN ('MANUAL', 'STRAVA', 'APPLE_HEALTH', 'GOOGLE_FIT')),
    external_id text CHECK (char_length(external_id) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (duration * 1000 >= 120 * distance),
    -- Imports never duplicate (NULL external ids are distinct, so manual logs are unaffected).
    UNIQUE (user_id, source, external_id)
);
-- Own list, newest first, with a keyset cursor; also streak and summary scans.
CREATE INDEX activities_by_user_time ON activities (user_id, activity_at DESC, id DESC);
-- Public feeds and global leaderboards scan public activities by time.
CREATE INDEX activities_public_time ON activities (activity_at DESC, id DESC) WHERE NOT is_private;
-- Rate limit: activities logged per user in the last hour.
CREATE INDEX activities_by_user_created ON activities (user_id, created_at);
CREATE TRIGGER activities_updated_at BEFORE UPDATE ON activities
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE activity_comments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    activity_id uuid NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text        text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 500),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_comments_by_activity ON activity_comments (activity_id, created_at, id);
CREATE INDEX activity_comments_by_user ON activity_comments (user_id);
CREATE TRIGGER activity_comments_updated_at BEFORE UPDATE ON activity_comments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE activity_reactions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    activity_id uuid NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji       text NOT NULL CHECK (emoji IN ('👍', '❤️', '🔥', '👏', '💪', '🎉')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (activity_id, user_id, emoji)
);
CREATE INDEX activity_reactions_by_user ON activity_reactions (user_id);
