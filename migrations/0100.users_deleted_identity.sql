-- Deleted accounts are looked up by their Cognito identity at sign-in and on first sight of a
-- token (a deleted account's identity must never get a new row).
-- depends: 0008.audit_and_idempotency

CREATE INDEX users_cognito_id_deleted ON users (cognito_id) WHERE deleted_at IS NOT NULL;
