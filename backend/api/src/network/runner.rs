//! The job runner: claims due jobs from the durable queue and runs them (route an ask, send a
//! push, condense a digest, delete audio past its retention period). A claim is a lease, so a
//! runner that dies mid-job leaves the job to the next one. Tests call `run_due` to drain the
//! queue deterministically.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use coagent_store::{AskId, Job, StoreError, Timestamp};
use serde_json::json;
use tracing::{instrument, Instrument as _};

use super::{digest, outbox, retention, routing};
use crate::error::ApiError;
use crate::state::AppState;

pub const ROUTE: &str = "route";
pub const PUSH: &str = "push";
pub const DIGEST: &str = "digest";
pub const RETENTION: &str = "retention";
const KINDS: &[&str] = &[ROUTE, PUSH, DIGEST, RETENTION];

/// Long enough for a digest on a slow machine; a longer job extends nothing and is retried.
const LEASE: Duration = Duration::from_secs(5 * 60);
/// How often an idle runner looks for due work it was not woken for (escalations, retries).
const POLL: Duration = Duration::from_secs(1);
/// Retention runs at most once per hour-long slot, whichever runner (or node) queues it.
const RETENTION_SLOT_MS: i64 = 3_600_000;

/// What a job's handler decided.
pub enum Outcome {
    Done,
    /// Try again at this time (the attempt is counted).
    RetryAt(Timestamp, String),
    /// Give up; the reason stays on the job.
    Failed(String),
}

pub struct JobRunner {
    state: AppState,
    worker: String,
    /// The last hour slot this runner queued retention for, so polling every second does
    /// not try to insert the same job 3,600 times an hour.
    retention_slot: AtomicI64,
}

impl JobRunner {
    pub fn new(state: AppState) -> Self {
        let worker = format!("runner-{}-{}", std::process::id(), uuid_suffix());
        JobRunner { state, worker, retention_slot: AtomicI64::new(i64::MIN) }
    }

    /// Queues this hour's retention job if need be, then runs every job due at `now` (and any
    /// they queue that are due too); returns how many ran.
    pub async fn run_due(&self, now: Timestamp) -> Result<usize, StoreError> {
        self.schedule_retention(now).await?;
        self.run_due_of(KINDS, now).await
    }

    /// One retention job per hour slot: its unique key keeps other runners from queueing it
    /// again. Nothing is queued while audio is kept forever.
    async fn schedule_retention(&self, now: Timestamp) -> Result<(), StoreError> {
        if self.state.config.audio_retention_days == 0 {
            return Ok(());
        }
        let slot = now.as_millis().div_euclid(RETENTION_SLOT_MS);
        if self.retention_slot.swap(slot, Ordering::Relaxed) == slot {
            return Ok(());
        }
        let key = format!("retention:{slot}");
        match self.state.store.enqueue_unique(RETENTION, &json!({}), now, &key).await {
            Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
            Err(other) => {
                self.retention_slot.store(i64::MIN, Ordering::Relaxed); // try again next poll
                Err(other)
            }
        }
    }

    /// `run_due` for some kinds of job only ("route", "push", "digest", "retention"): lets a test stop
    /// between routing and sending.
    pub async fn run_due_of(&self, kinds: &[&str], now: Timestamp) -> Result<usize, StoreError> {
        let mut ran = 0;
        while let Some(job) = self.state.store.claim(kinds, &self.worker, LEASE, now).await? {
            self.run(job, now).await?;
            ran += 1;
        }
        Ok(ran)
    }

    /// Runs jobs until `shutdown`: at once when woken, otherwise every second.
    pub async fn run_until(self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(error) = self.run_due(Timestamp::now()).await {
                tracing::error!(error = %error, "the job runner could not reach the queue");
            }
            tokio::select! {
                () = &mut shutdown => return,
                () = self.state.jobs_queued.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    async fn run(&self, job: Job, now: Timestamp) -> Result<(), StoreError> {
        let span = tracing::info_span!("job", kind = %job.kind, id = %job.id, attempt = job.attempts);
        let outcome = async {
            let result = match job.kind.as_str() {
                ROUTE => routing::route(&self.state, &job, now).await,
                PUSH => outbox::deliver(&self.state, &job, now).await,
                DIGEST => digest::condense(&self.state, &job, now).await,
                RETENTION => retention::delete_expired_audio(&self.state, now).await,
                other => Ok(Outcome::Failed(format!("no handler for jobs of kind {other:?}"))),
            };
            result.unwrap_or_else(|error| failure(&error, job.attempts, now))
        }
        .instrument(span.clone())
        .await;
        let _entered = span.enter();
        let stored = match outcome {
            Outcome::Done => self.state.store.complete(&job, now).await,
            Outcome::RetryAt(at, why) => {
                tracing::info!(retry_at = %at, reason = %why, "job will be retried");
                self.state.store.fail(&job, &why, Some(at), now).await
            }
            Outcome::Failed(why) => {
                tracing::warn!(reason = %why, "job failed for good");
                self.state.store.fail(&job, &why, None, now).await
            }
        };
        match stored {
            // Another runner took the job over after our lease ran out: its outcome stands.
            Err(StoreError::LeaseLost) => Ok(()),
            other => other.map(drop),
        }
    }
}

/// An error from a handler: busy engines and infrastructure trouble are retried with back-off,
/// up to a point; anything else is a failure for good.
fn failure(error: &ApiError, attempts: u32, now: Timestamp) -> Outcome {
    error.log();
    const MAX_ATTEMPTS: u32 = 8;
    let retryable = matches!(error, ApiError::Busy | ApiError::Internal(_));
    if retryable && attempts < MAX_ATTEMPTS {
        let delay = coagent_push::backoff(attempts.saturating_sub(1), None);
        Outcome::RetryAt(now + delay, error.to_string())
    } else {
        Outcome::Failed(error.to_string())
    }
}

/// Queues routing for a confirmed ask, at once or at `at` (an escalation); `step` names the
/// wave so that the same step is never queued twice.
#[instrument(skip(state))]
pub async fn queue_routing(state: &AppState, ask_id: AskId, step: &str, at: Timestamp) -> Result<(), ApiError> {
    enqueue_once(state, ROUTE, &json!({ "ask_id": ask_id }), at, &format!("route:{ask_id}:{step}")).await
}

/// Queues condensing an ask's answers; `step` names why (the answer count when one arrives, a
/// curation) so that the same step is never queued twice.
#[instrument(skip(state))]
pub async fn queue_digest(state: &AppState, ask_id: AskId, step: &str) -> Result<(), ApiError> {
    let key = format!("digest:{ask_id}:{step}");
    enqueue_once(state, DIGEST, &json!({ "ask_id": ask_id }), Timestamp::now(), &key).await
}

/// Queues a job unless one with the same key exists; wakes the runner.
pub async fn enqueue_once(
    state: &AppState,
    kind: &str,
    payload: &serde_json::Value,
    at: Timestamp,
    key: &str,
) -> Result<(), ApiError> {
    match state.store.enqueue_unique(kind, payload, at, key).await {
        Ok(_) | Err(StoreError::Conflict(_)) => {
            state.jobs_queued.notify_one();
            Ok(())
        }
        Err(other) => Err(other.into()),
    }
}

/// The ask a job is about.
pub fn ask_id_of(job: &Job) -> Result<AskId, ApiError> {
    job.payload["ask_id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| ApiError::internal(std::io::Error::other(format!("job {} names no ask", job.id))))
}

fn uuid_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().subsec_nanos();
    format!("{nanos:08x}")
}
