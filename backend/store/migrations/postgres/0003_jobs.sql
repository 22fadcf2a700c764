-- The durable queue of background work (transcribe, summarize, match, push, digest).
-- Kept equivalent to ../sqlite/0003_jobs.sql.
-- A job is queued until claimed; a claim is a lease (locked_by until locked_until), and a
-- lease that runs out makes the job claimable again, so a crashed worker loses nothing.

CREATE TABLE jobs (
    id            TEXT PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL, -- JSON, opaque to the queue
    status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    run_after     BIGINT NOT NULL,
    -- Counted at each claim, so a job that keeps crashing its worker is still seen to fail.
    attempts      BIGINT NOT NULL DEFAULT 0,
    locked_by     TEXT,
    locked_until  BIGINT,
    last_error    TEXT,
    -- Work that must happen once (transcribe recording X) names itself here.
    unique_key    TEXT UNIQUE,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CHECK ((status = 'running') = (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);
CREATE INDEX jobs_queued ON jobs (run_after) WHERE status = 'queued';
CREATE INDEX jobs_running ON jobs (locked_until) WHERE status = 'running';
