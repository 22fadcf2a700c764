-- The network half: profiles, push subscriptions, who was asked (and why), answers, ratings,
-- direct contacts and digests. Kept equivalent to ../postgres/0004_network.sql.
-- Embeddings are JSON arrays of floats (portable, a few KB each).

-- What a member offers and when they may be asked. A member without a row has the defaults.
CREATE TABLE profiles (
    member_id       TEXT PRIMARY KEY NOT NULL REFERENCES members (id),
    expertise       TEXT NOT NULL DEFAULT '',
    -- The expertise's embedding, rewritten whenever the expertise changes.
    expertise_embedding TEXT,
    team            TEXT,
    site            TEXT,
    timezone        TEXT,
    -- "HH:MM" local times; the window may wrap midnight. Both or neither.
    quiet_start     TEXT,
    quiet_end       TEXT,
    weekly_budget   BIGINT NOT NULL DEFAULT 2 CHECK (weekly_budget >= 0),
    email           TEXT,
    phone           TEXT,
    updated_at      BIGINT NOT NULL,
    CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

-- Whether peers may hear the asker's original audio; the card's embedding, set on confirm.
ALTER TABLE asks ADD COLUMN share_audio BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE asks ADD COLUMN embedding TEXT;

-- A browser's push subscription (one member may have several devices).
CREATE TABLE push_subscriptions (
    id          TEXT PRIMARY KEY NOT NULL,
    member_id   TEXT NOT NULL REFERENCES members (id),
    endpoint    TEXT NOT NULL UNIQUE,
    p256dh      TEXT NOT NULL,
    auth        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_by_member ON push_subscriptions (member_id);

-- Who was asked for an ask, in which wave and why. The primary key is the rule that nobody
-- is asked twice for one ask.
CREATE TABLE ask_requests (
    ask_id        TEXT NOT NULL REFERENCES asks (id),
    member_id     TEXT NOT NULL REFERENCES members (id),
    wave          BIGINT NOT NULL,
    rank          BIGINT NOT NULL,
    reasons       TEXT NOT NULL, -- JSON, shown to the concierge
    state         TEXT NOT NULL CHECK (state IN ('open', 'answered', 'passed', 'referred')),
    -- Set when a colleague referred this member rather than the matcher choosing them.
    referred_by   TEXT REFERENCES members (id),
    asked_at      BIGINT NOT NULL,
    responded_at  BIGINT,
    PRIMARY KEY (ask_id, member_id),
    CHECK ((state = 'open') = (responded_at IS NULL))
);
CREATE INDEX ask_requests_by_member ON ask_requests (member_id, asked_at);

CREATE TABLE answers (
    id            TEXT PRIMARY KEY NOT NULL,
    ask_id        TEXT NOT NULL REFERENCES asks (id),
    member_id     TEXT NOT NULL REFERENCES members (id),
    text          TEXT NOT NULL,
    via           TEXT NOT NULL CHECK (via IN ('voice', 'text')),
    recording_id  TEXT UNIQUE REFERENCES recordings (id),
    -- The asker's rating: NULL until rated.
    helpful       BOOLEAN,
    created_at    BIGINT NOT NULL,
    -- One answer per peer per ask.
    UNIQUE (ask_id, member_id),
    -- A live dictation is a voice answer; an uploaded audio file is one without a recording.
    CHECK (recording_id IS NULL OR via = 'voice')
);

-- The condensed answers returned to the asker; rewritten as answers arrive.
CREATE TABLE digests (
    ask_id        TEXT PRIMARY KEY NOT NULL REFERENCES asks (id),
    points        TEXT NOT NULL, -- JSON array of {answer_id, author, sentence, source}
    answer_count  BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);

-- "Contact directly": the service's headline metric is the share of asks that lead to one.
CREATE TABLE contacts (
    id            TEXT PRIMARY KEY NOT NULL,
    ask_id        TEXT NOT NULL REFERENCES asks (id),
    from_member   TEXT NOT NULL REFERENCES members (id),
    to_member     TEXT NOT NULL REFERENCES members (id),
    channel       TEXT NOT NULL CHECK (channel IN ('call', 'message', 'email')),
    created_at    BIGINT NOT NULL
);
CREATE INDEX contacts_by_ask ON contacts (ask_id);
