-- Who belongs to the network, how they were let in, and how they stay signed in.
-- Kept equivalent to ../sqlite/0001_members.sql (a test compares the two schemas).
-- Ids are UUID text; times are integer milliseconds since the Unix epoch.

CREATE TABLE members (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('manager', 'concierge')),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL
);

-- Only the SHA-256 of a code is kept: a leaked database does not let anyone join.
CREATE TABLE invites (
    id          TEXT PRIMARY KEY NOT NULL,
    code_hash   TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('manager', 'concierge')),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    member_id   TEXT REFERENCES members (id),
    -- A used invite always says whom it created.
    CHECK ((used_at IS NULL) = (member_id IS NULL))
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_by_member ON sessions (member_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
