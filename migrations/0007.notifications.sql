-- In-app and email notifications, and per-user preferences.
-- depends: 0003.teams

CREATE TABLE notifications (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_id       uuid REFERENCES teams (id) ON DELETE CASCADE,
    category      text NOT NULL CHECK (category IN (
                      'MEMBER_JOINED', 'GOAL_CREATED', 'MILESTONE', 'GOAL_COMPLETED',
                      'GOAL_FAILED', 'ACHIEVEMENT_EARNED', 'INVITE_RECEIVED')),
    channel       text NOT NULL DEFAULT 'REALTIME' CHECK (channel IN ('REALTIME', 'EMAIL')),
    title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    body          text NOT NULL DEFAULT '' CHECK (char_length(body) <= 2000),
    data          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
    -- "Notify once": the same event (e.g. milestone 50 of goal G) has one key per user+channel.
    dedupe_key    text CHECK (char_length(dedupe_key) <= 200),
    read_at       timestamptz,
    status        text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    retry_count   integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
    max_retries   integer NOT NULL DEFAULT 5 CHECK (max_retries >= 0),
    last_error    text CHECK (char_length(last_error) <= 2000),
    deliver_after timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (retry_count <= max_retries + 1),
    UNIQUE (user_id, channel, dedupe_key)
);
CREATE INDEX notifications_inbox ON notifications (user_id, created_at DESC, id DESC)
    WHERE channel = 'REALTIME';
CREATE INDEX notifications_unread ON notifications (user_id)
    WHERE channel = 'REALTIME' AND read_at IS NULL;
CREATE INDEX notifications_outbox ON notifications (deliver_after)
    WHERE channel = 'EMAIL' AND status = 'PENDING';
CREATE INDEX notifications_by_team ON notifications (team_id);
CREATE TRIGGER notifications_updated_at BEFORE UPDATE ON notifications
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE notification_preferences (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category          text NOT NULL CHECK (category IN (
                          'MEMBER_JOINED', 'GOAL_CREATED', 'MILESTONE', 'GOAL_COMPLETED',
                          'GOAL_FAILED', 'ACHIEVEMENT_EARNED', 'INVITE_RECEIVED')),
    channel           text NOT NULL CHECK (channel IN ('REALTIME', 'EMAIL')),
    enabled           boolean NOT NULL DEFAULT true,
    -- Local times in the user's timezone; both or neither.
    quiet_hours_start time,
    quiet_hours_end   time,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((quiet_hours_start IS NULL) = (quiet_hours_end IS NULL)),
    UNIQUE (user_id, category, channel)
);
CREATE TRIGGER notification_preferences_updated_at BEFORE UPDATE ON notification_preferences
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
