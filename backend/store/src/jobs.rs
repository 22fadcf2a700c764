//! The durable job queue: background work (transcribe, summarize, match, push, digest) that
//! survives crashes and restarts, shared safely by any number of workers.
//!
//! A claim is a lease: the job is the worker's until `locked_until`, after which any worker
//! may claim it again. A crashed worker therefore loses nothing, and a slow one finds out when
//! `complete` or `fail` answers `LeaseLost`. The claim is fenced by the attempt number, so
//! even a worker that reuses its id cannot complete a job someone else now holds.

use std::time::Duration;

use serde_json::Value;
use tracing::instrument;

use crate::db::{with_pool, Pool};
use crate::labels::text_enum;
use crate::{JobId, Store, StoreError, Timestamp};

text_enum!(
    JobStatus {
        /// Waiting for `run_after`, then for a worker.
        Queued = "queued",
        /// Leased to a worker (or abandoned by one whose lease has run out).
        Running = "running",
        Done = "done",
        /// Given up on: a worker failed it without a retry time.
        Failed = "failed",
    }
);

/// A unit of background work.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    /// What to do, e.g. "transcribe"; workers claim the kinds they can run.
    pub kind: String,
    pub payload: Value,
    pub status: JobStatus,
    pub run_after: Timestamp,
    /// How many times it was claimed, the current claim included.
    pub attempts: u32,
    pub locked_by: Option<String>,
    pub locked_until: Option<Timestamp>,
    pub last_error: Option<String>,
    pub unique_key: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: String,
    kind: String,
    payload: String,
    status: String,
    run_after: i64,
    attempts: i64,
    locked_by: Option<String>,
    locked_until: Option<i64>,
    last_error: Option<String>,
    unique_key: Option<String>,
    created_at: i64,
    updated_at: i64,
}

macro_rules! job_columns {
    () => {
        "id, kind, payload, status, run_after, attempts, locked_by, locked_until, last_error, unique_key, \
         created_at, updated_at"
    };
}

/// Which jobs a claim may take: queued and due, or running with a lease that ran out.
macro_rules! claimable {
    () => {
        "((status = 'queued' AND run_after <= $4) OR (status = 'running' AND locked_until <= $4))"
    };
}

/// Takes the claimed job; `$1` (the kinds) is matched per backend, the rest is shared.
macro_rules! claim_sql {
    ($kind_filter:literal, $lock:literal) => {
        concat!(
            "UPDATE jobs SET status = 'running', locked_by = $2, locked_until = $3, ",
            "attempts = attempts + 1, updated_at = $4 ",
            "WHERE id = (SELECT id FROM jobs WHERE ",
            $kind_filter,
            " AND ",
            claimable!(),
            " ORDER BY run_after, created_at, id LIMIT 1",
            $lock,
            ") RETURNING ",
            job_columns!()
        )
    };
}

/// Only the current lease holder may touch a running job: `$1`–`$3` come from its claim.
macro_rules! held_by_claimant {
    () => {
        "id = $1 AND status = 'running' AND locked_by = $2 AND attempts = $3"
    };
}

/// Starts a query on a held job, binding the claim that `held_by_claimant!` checks.
macro_rules! query_held {
    ($sql:expr, $job:expr) => {
        sqlx::query_as::<_, JobRow>($sql)
            .bind($job.id.to_db())
            .bind($job.locked_by.as_deref())
            .bind(i64::from($job.attempts))
    };
}

impl Store {
    /// Queues work to run at or after `run_after`.
    #[instrument(skip(self, payload), err(level = "debug"))]
    pub async fn enqueue(&self, kind: &str, payload: &Value, run_after: Timestamp) -> Result<Job, StoreError> {
        self.insert_job(kind, payload, run_after, None).await
    }

    /// Queues work that must exist once: a second job with the same `unique_key` is a
    /// `Conflict`, whatever became of the first (a repeated "stop" transcribes once).
    #[instrument(skip(self, payload), err(level = "debug"))]
    pub async fn enqueue_unique(
        &self,
        kind: &str,
        payload: &Value,
        run_after: Timestamp,
        unique_key: &str,
    ) -> Result<Job, StoreError> {
        self.insert_job(kind, payload, run_after, Some(unique_key)).await
    }

    async fn insert_job(
        &self,
        kind: &str,
        payload: &Value,
        run_after: Timestamp,
        unique_key: Option<&str>,
    ) -> Result<Job, StoreError> {
        const SQL: &str = concat!(
            "INSERT INTO jobs (id, kind, payload, status, run_after, unique_key, created_at, updated_at) ",
            "VALUES ($1, $2, $3, 'queued', $4, $5, $6, $6) RETURNING ",
            job_columns!()
        );
        let row: JobRow = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(JobId::random().to_db())
                .bind(kind)
                .bind(payload.to_string())
                .bind(run_after.as_millis())
                .bind(unique_key)
                .bind(Timestamp::now().as_millis())
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    /// Leases the most overdue claimable job of one of `kinds` to `worker` for `lease`, or
    /// `None` when there is nothing to do. Safe to call from many workers at once.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn claim(
        &self,
        kinds: &[&str],
        worker: &str,
        lease: Duration,
        now: Timestamp,
    ) -> Result<Option<Job>, StoreError> {
        let locked_until = (now + lease).as_millis();
        let row: Option<JobRow> = match &self.pool {
            // One UPDATE holds SQLite's single write lock from the search to the change, so no
            // two claims can pick the same row.
            Pool::Sqlite(pool) => {
                const SQL: &str = claim_sql!("kind IN (SELECT value FROM json_each($1))", "");
                let kinds = serde_json::to_string(kinds).map_err(|e| StoreError::Invalid(e.to_string()))?;
                sqlx::query_as(SQL)
                    .bind(kinds)
                    .bind(worker)
                    .bind(locked_until)
                    .bind(now.as_millis())
                    .fetch_optional(pool)
                    .await?
            }
            // Concurrent workers skip the rows others are taking instead of queueing behind them.
            Pool::Postgres(pool) => {
                const SQL: &str = claim_sql!("kind = ANY($1)", " FOR UPDATE SKIP LOCKED");
                sqlx::query_as(SQL)
                    .bind(kinds)
                    .bind(worker)
                    .bind(locked_until)
                    .bind(now.as_millis())
                    .fetch_optional(pool)
                    .await?
            }
        };
        row.map(Job::try_from).transpose()
    }

    /// Extends a long job's lease so it is not reclaimed while still being worked on.
    #[instrument(skip(self, job), fields(job = %job.id), err(level = "debug"))]
    pub async fn extend_lease(&self, job: &Job, lease: Duration, now: Timestamp) -> Result<Job, StoreError> {
        const SQL: &str = concat!(
            "UPDATE jobs SET locked_until = $4, updated_at = $5 WHERE ",
            held_by_claimant!(),
            " RETURNING ",
            job_columns!()
        );
        let (until, now) = ((now + lease).as_millis(), now.as_millis());
        let row = with_pool!(self, pool => query_held!(SQL, job).bind(until).bind(now).fetch_optional(pool).await?);
        self.held_job(job, row).await
    }

    /// Records success; the job will not run again.
    #[instrument(skip(self, job), fields(job = %job.id), err(level = "debug"))]
    pub async fn complete(&self, job: &Job, now: Timestamp) -> Result<Job, StoreError> {
        const SQL: &str = concat!(
            "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, updated_at = $4 WHERE ",
            held_by_claimant!(),
            " RETURNING ",
            job_columns!()
        );
        let row = with_pool!(self, pool => query_held!(SQL, job).bind(now.as_millis()).fetch_optional(pool).await?);
        self.held_job(job, row).await
    }

    /// Records a failure: the job runs again at `retry_at`, or is given up on when `None`.
    /// The attempt was already counted by the claim, so `job.attempts` drives the back-off.
    #[instrument(skip(self, job), fields(job = %job.id), err(level = "debug"))]
    pub async fn fail(
        &self,
        job: &Job,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Job, StoreError> {
        const SQL: &str = concat!(
            "UPDATE jobs SET status = CASE WHEN $5 IS NULL THEN 'failed' ELSE 'queued' END, ",
            "run_after = COALESCE($5, run_after), last_error = $4, locked_by = NULL, locked_until = NULL, ",
            "updated_at = $6 WHERE ",
            held_by_claimant!(),
            " RETURNING ",
            job_columns!()
        );
        let retry_at = retry_at.map(Timestamp::as_millis);
        let row = with_pool!(self, pool => {
            query_held!(SQL, job).bind(error).bind(retry_at).bind(now.as_millis()).fetch_optional(pool).await?
        });
        self.held_job(job, row).await
    }

    /// The outcome of an update on a held job: nothing matched means the claim is gone.
    async fn held_job(&self, job: &Job, row: Option<JobRow>) -> Result<Job, StoreError> {
        match row {
            Some(row) => row.try_into(),
            None => {
                self.get_job(job.id).await?; // NotFound if it never existed
                Err(StoreError::LeaseLost)
            }
        }
    }

    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_job(&self, id: JobId) -> Result<Job, StoreError> {
        const SQL: &str = concat!("SELECT ", job_columns!(), " FROM jobs WHERE id = $1");
        let row: JobRow = with_pool!(self, pool => sqlx::query_as(SQL).bind(id.to_db()).fetch_one(pool).await?);
        row.try_into()
    }
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;

    fn try_from(row: JobRow) -> Result<Job, StoreError> {
        Ok(Job {
            id: JobId::from_db(&row.id)?,
            payload: serde_json::from_str(&row.payload)
                .map_err(|_| StoreError::Corrupt(format!("job {} has a malformed payload", row.id)))?,
            kind: row.kind,
            status: JobStatus::from_db(&row.status)?,
            run_after: Timestamp::from_millis(row.run_after),
            attempts: u32::try_from(row.attempts)
                .map_err(|_| StoreError::Corrupt(format!("job {} has {} attempts", row.id, row.attempts)))?,
            locked_by: row.locked_by,
            locked_until: row.locked_until.map(Timestamp::from_millis),
            last_error: row.last_error,
            unique_key: row.unique_key,
            created_at: Timestamp::from_millis(row.created_at),
            updated_at: Timestamp::from_millis(row.updated_at),
        })
    }
}
