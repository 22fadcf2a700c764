-- Live dictations and the asks made from them.
-- Kept equivalent to ../postgres/0002_recordings_asks.sql. The two tables point at each
-- other; SQLite accepts a reference to a table created later, PostgreSQL adds it afterwards.

-- The audio itself is a file under <data_dir>/audio/; received_bytes is how much of it is
-- durable and acknowledged (the file may briefly be longer, never shorter).
CREATE TABLE recordings (
    id              TEXT PRIMARY KEY NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('ask', 'answer')),
    ask_id          TEXT REFERENCES asks (id),
    sample_rate     BIGINT NOT NULL CHECK (sample_rate > 0),
    received_bytes  BIGINT NOT NULL DEFAULT 0 CHECK (received_bytes >= 0),
    status          TEXT NOT NULL CHECK (status IN ('open', 'finished')),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    -- An answer always answers some ask.
    CHECK (purpose = 'ask' OR ask_id IS NOT NULL)
);
CREATE INDEX recordings_by_member ON recordings (member_id, created_at);

CREATE TABLE asks (
    id            TEXT PRIMARY KEY NOT NULL,
    member_id     TEXT NOT NULL REFERENCES members (id),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'confirmed', 'routed', 'answered', 'closed')),
    transcript    TEXT NOT NULL,
    title         TEXT,
    summary       TEXT,
    help_needed   TEXT,
    tags          TEXT, -- JSON array of strings
    card_source   TEXT CHECK (card_source IN ('model', 'extractive')),
    -- Whether the asker changed the card before confirming: a signal of summary quality.
    card_edited   BOOLEAN NOT NULL DEFAULT FALSE,
    -- One dictation makes at most one ask.
    recording_id  TEXT UNIQUE REFERENCES recordings (id),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    -- A card is whole or absent, and nothing goes to peers without one (a draft may be dropped).
    CHECK (
        (card_source IS NULL AND title IS NULL AND summary IS NULL AND help_needed IS NULL AND tags IS NULL)
        OR (card_source IS NOT NULL AND title IS NOT NULL AND summary IS NOT NULL
            AND help_needed IS NOT NULL AND tags IS NOT NULL)
    ),
    CHECK (status IN ('draft', 'closed') OR card_source IS NOT NULL)
);
CREATE INDEX asks_by_member ON asks (member_id, created_at);
