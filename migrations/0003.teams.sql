-- Teams, membership history and invites.
-- depends: 0002.users

CREATE TABLE teams (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        citext NOT NULL CHECK (char_length(name) BETWEEN 2 AND 100),
    description text CHECK (char_length(description) <= 1000),
    avatar_url  text CHECK (char_length(avatar_url) <= 2048),
    is_public   boolean NOT NULL DEFAULT false,
    -- The team's reusable join link; admins see it, anyone holding it may join.
    invite_code text NOT NULL UNIQUE CHECK (invite_code ~ '^[A-Za-z0-9_-]{8,64}$'),
    max_members integer NOT NULL DEFAULT 100 CHECK (max_members BETWEEN 1 AND 10000),
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
);
CREATE UNIQUE INDEX teams_name_live ON teams (name) WHERE deleted_at IS NULL;
CREATE INDEX teams_public_live ON teams (created_at DESC, id DESC)
    WHERE is_public AND deleted_at IS NULL;
CREATE INDEX teams_name_trgm ON teams USING gin ((name::text) gin_trgm_ops)
    WHERE is_public AND deleted_at IS NULL;
-- Rate limit: teams created per user per day.
CREATE INDEX teams_created_by ON teams (created_by, created_at);
CREATE TRIGGER teams_updated_at BEFORE UPDATE ON teams
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Membership rows keep history: leaving sets left_at, re-joining inserts a new row.
CREATE TABLE team_members (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL DEFAULT 'MEMBER' CHECK (role IN ('ADMIN', 'MEMBER')),
    joined_at  timestamptz NOT NULL DEFAULT now(),
    left_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (left_at IS NULL OR left_at >= joined_at)
);
CREATE UNIQUE INDEX team_members_live ON team_members (team_id, user_id) WHERE left_at IS NULL;
CREATE INDEX team_members_by_team ON team_members (team_id, joined_at, id) WHERE left_at IS NULL;
CREATE INDEX team_members_admins ON team_members (team_id) WHERE left_at IS NULL AND role = 'ADMIN';
-- "Teams the user belonged to at time t" (activity contributions), history included.
CREATE INDEX team_members_by_user ON team_members (user_id, team_id, joined_at);
CREATE TRIGGER team_members_updated_at BEFORE UPDATE ON team_members
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE team_invites (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team_id     uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{8,64}$'),
    invited_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    email       citext CHECK (char_length(email) <= 254),
    user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
    status      text NOT NULL DEFAULT 'PENDING'
                CHECK (status IN ('PENDING', 'ACCEPTED', 'REVOKED', 'EXPIRED')),
    expires_at  timestamptz NOT NULL,
    accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
    accepted_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_at > created_at),
    CHECK (email IS NULL OR user_id IS NULL)
);
CREATE INDEX team_invites_pending_by_team ON team_invites (team_id, created_at DESC)
    WHERE status = 'PENDING';
CREATE INDEX team_invites_pending_by_user ON team_invites (user_id) WHERE status = 'PENDING';
CREATE INDEX team_invites_pending_by_email ON team_invites (email) WHERE status = 'PENDING';
CREATE INDEX team_invites_expiry ON team_invites (expires_at) WHERE status = 'PENDING';
CREATE TRIGGER team_invites_updated_at BEFORE UPDATE ON team_invites
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
