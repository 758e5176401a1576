-- Audit trail of sensitive operations and stored responses of idempotent requests.
-- depends: 0003.teams

-- Append-only: no updated_at. Actor/target references survive hard deletes as NULL.
CREATE TABLE audit_log (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    actor_id       uuid REFERENCES users (id) ON DELETE SET NULL,
    action         text NOT NULL CHECK (action ~ '^[A-Z][A-Z_]{2,63}$'),
    team_id        uuid REFERENCES teams (id) ON DELETE SET NULL,
    target_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    target_id      uuid,
    details        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_by_team ON audit_log (team_id, created_at DESC) WHERE team_id IS NOT NULL;
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, created_at DESC);
CREATE INDEX audit_log_by_action ON audit_log (action, created_at DESC);

-- The claim row is inserted in the same transaction as the write it guards; a NULL user is an
-- anonymous caller (auth routes), and NULLS NOT DISTINCT keeps such keys unique too.
CREATE TABLE idempotency_keys (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid REFERENCES users (id) ON DELETE CASCADE,
    key           text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    method        text NOT NULL CHECK (method IN ('POST', 'PUT', 'PATCH', 'DELETE')),
    path          text NOT NULL CHECK (char_length(path) <= 2048),
    request_hash  text NOT NULL CHECK (char_length(request_hash) = 64),
    status_code   integer CHECK (status_code BETWEEN 100 AND 599),
    response_body jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Kept at least 24 hours (docs/domain.md#idempotency).
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '24 hours',
    CHECK (expires_at >= created_at + interval '24 hours'),
    UNIQUE NULLS NOT DISTINCT (user_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
