-- The concierge's desk: timed transcripts for the synced audio player, steering (a paused ask,
-- a card the concierge edited, requests added or withdrawn by hand, answers left out of a
-- curated digest), the audit log, and audio retention. Kept equivalent to ../sqlite/0005_console.sql.

-- Transcript segments as JSON [{"start_ms": N, "end_ms": N, "text": "..."}], relative to the
-- start of the recording. NULL for typed text.
ALTER TABLE asks ADD COLUMN transcript_segments TEXT;
ALTER TABLE answers ADD COLUMN transcript_segments TEXT;

-- While set, the ask is on hold: no new wave is asked and no digest is pushed.
ALTER TABLE asks ADD COLUMN paused_at BIGINT;
-- The last time a concierge changed the card; the asker is shown that it was edited.
ALTER TABLE asks ADD COLUMN concierge_edited_at BIGINT;

-- An answer the concierge chose to leave out of the digest.
ALTER TABLE answers ADD COLUMN left_out BOOLEAN NOT NULL DEFAULT FALSE;

-- A request the concierge added by hand (NULL when the matcher chose), or withdrew.
ALTER TABLE ask_requests ADD COLUMN added_by TEXT REFERENCES members (id);
ALTER TABLE ask_requests ADD COLUMN withdrawn_at BIGINT;

-- Who curated the digest and when, and when it was last pushed to the asker.
ALTER TABLE digests ADD COLUMN curated_by TEXT REFERENCES members (id);
ALTER TABLE digests ADD COLUMN curated_at BIGINT;
ALTER TABLE digests ADD COLUMN sent_at BIGINT;

-- Audio older than the retention period is deleted from disk; the transcript stays.
ALTER TABLE recordings ADD COLUMN audio_deleted_at BIGINT;

-- Every concierge action: who, what, on what, when, and the state before and after (JSON).
CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY NOT NULL,
    actor_id      TEXT NOT NULL REFERENCES members (id),
    action        TEXT NOT NULL,
    subject_kind  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    before_state  TEXT,
    after_state   TEXT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (created_at);
CREATE INDEX audit_log_by_subject ON audit_log (subject_kind, subject_id, created_at);
