-- Notifications you can read and receive: locales, new categories, PUSH channel, tracked
-- deliveries per channel, Web Push subscriptions, activity shares.
-- depends: 0007.notifications 0100.users_deleted_identity

ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'pt-PT'));
-- Set when SES reports the address on its suppression list: no further email is attempted.
ALTER TABLE users ADD COLUMN email_suppressed_at timestamptz;

ALTER TABLE notifications DROP CONSTRAINT notifications_category_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_category_check CHECK (category IN (
    'MEMBER_JOINED', 'GOAL_CREATED', 'MILESTONE', 'GOAL_COMPLETED', 'GOAL_FAILED',
    'ACHIEVEMENT_EARNED', 'INVITE_RECEIVED', 'ACTIVITY_COMMENT', 'ACTIVITY_REACTION'));
-- False when the user turned the REALTIME channel off for the category: the row still exists
-- (it is what the EMAIL/PUSH deliveries send) but the inbox does not list it.
ALTER TABLE notifications ADD COLUMN in_app boolean NOT NULL DEFAULT true;
CREATE INDEX notifications_in_app ON notifications (user_id, created_at DESC, id DESC)
    WHERE in_app;
CREATE INDEX notifications_in_app_unread ON notifications (user_id)
    WHERE in_app AND read_at IS NULL;
-- Reaction batching looks up the latest reaction notification of an activity.
CREATE INDEX notifications_by_activity ON notifications (user_id, category, ((data ->> 'activityId')), created_at DESC)
    WHERE category IN ('ACTIVITY_COMMENT', 'ACTIVITY_REACTION');

ALTER TABLE notification_preferences DROP CONSTRAINT notification_preferences_category_check;
ALTER TABLE notification_preferences ADD CONSTRAINT notification_preferences_category_check
    CHECK (category IN (
    'MEMBER_JOINED', 'GOAL_CREATED', 'MILESTONE', 'GOAL_COMPLETED', 'GOAL_FAILED',
    'ACHIEVEMENT_EARNED', 'INVITE_RECEIVED', 'ACTIVITY_COMMENT', 'ACTIVITY_REACTION'));
ALTER TABLE notification_preferences DROP CONSTRAINT notification_preferences_channel_check;
ALTER TABLE notification_preferences ADD CONSTRAINT notification_preferences_channel_check
    CHECK (channel IN ('REALTIME', 'EMAIL', 'PUSH'));

-- One row per notification and channel it goes out on. REALTIME rows are SENT when written
-- (the inbox is the delivery) and carry the read time; EMAIL/PUSH rows wait for the dispatcher.
CREATE TABLE notification_deliveries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel         text NOT NULL CHECK (channel IN ('REALTIME', 'EMAIL', 'PUSH')),
    status          text NOT NULL DEFAULT 'PENDING'
                        CHECK (status IN ('PENDING', 'DEFERRED', 'SENT', 'FAILED')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_retries     integer NOT NULL DEFAULT 5 CHECK (max_retries >= 0),
    last_error      text CHECK (char_length(last_error) <= 2000),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    read_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (notification_id, channel)
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at)
    WHERE status IN ('PENDING', 'DEFERRED');
CREATE INDEX notification_deliveries_by_user ON notification_deliveries (user_id);
CREATE TRIGGER notification_deliveries_updated_at BEFORE UPDATE ON notification_deliveries
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A browser's PushSubscription. The endpoint identifies the browser: the same one signing in
-- as another user moves the subscription to that user.
CREATE TABLE push_subscriptions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endpoint        text NOT NULL UNIQUE CHECK (char_length(endpoint) <= 2048),
    p256dh          text NOT NULL CHECK (char_length(p256dh) <= 200),
    auth            text NOT NULL CHECK (char_length(auth) <= 100),
    expiration_time timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);
CREATE TRIGGER push_subscriptions_updated_at BEFORE UPDATE ON push_subscriptions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Public share cards. Deleting the activity cascades; the triggers below remove the share the
-- moment the activity turns private or its owner's account is deleted, whichever code path
-- does it.
CREATE TABLE activity_shares (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The public, unguessable id in the share URL.
    share_id    text NOT NULL UNIQUE CHECK (share_id ~ '^[A-Za-z0-9_-]{16,64}$'),
    activity_id uuid NOT NULL UNIQUE REFERENCES activities (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_shares_by_user ON activity_shares (user_id);

CREATE FUNCTION unshare_private_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM activity_shares WHERE activity_id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER activities_unshare_private AFTER UPDATE OF is_private ON activities
    FOR EACH ROW WHEN (NEW.is_private) EXECUTE FUNCTION unshare_private_activity();

CREATE FUNCTION forget_deleted_user_reach() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM activity_shares WHERE user_id = NEW.id;
    DELETE FROM push_subscriptions WHERE user_id = NEW.id;
    DELETE FROM notifications WHERE user_id = NEW.id;  -- cascades to their deliveries
    RETURN NEW;
END $$;
CREATE TRIGGER users_forget_deleted_reach AFTER UPDATE OF deleted_at ON users
    FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
    EXECUTE FUNCTION forget_deleted_user_reach();
