//! Audio retention: recordings' audio files are deleted once they are older than the
//! retention period, and marked so; the transcripts (and asks and answers made from them)
//! stay. Runs as a job at most once an hour, scheduled by the job runner itself.

use std::time::Duration;

use coagent_store::Timestamp;

use super::clock::before;
use super::runner::Outcome;
use crate::error::ApiError;
use crate::state::AppState;

/// Recordings handled per query: a long backlog (a shortened period) goes in batches.
const BATCH: u32 = 100;
const DAY: Duration = Duration::from_secs(24 * 3600);

/// Deletes the audio of every finished recording made more than the retention period before `now`.
pub async fn delete_expired_audio(state: &AppState, now: Timestamp) -> Result<Outcome, ApiError> {
    let days = state.config.audio_retention_days;
    if days == 0 {
        return Ok(Outcome::Done); // kept forever
    }
    let cutoff = before(now, DAY * days);
    let mut deleted = 0usize;
    loop {
        // Each deletion marks its recording, so the next batch starts past this one.
        let expired = state.store.expired_recordings(cutoff, BATCH).await?;
        if expired.is_empty() {
            break;
        }
        for recording in &expired {
            state.audio.delete_audio(recording.id, now).await?;
            deleted += 1;
        }
    }
    if deleted > 0 {
        tracing::info!(deleted, days, "deleted audio past its retention period");
    }
    Ok(Outcome::Done)
}

/// What a client is told when it asks for audio that retention deleted.
pub fn audio_gone(state: &AppState) -> ApiError {
    let period = match state.config.audio_retention_days {
        0 => "the retention period".to_owned(),
        days => format!("the {days}-day retention period"),
    };
    ApiError::Gone(format!("the recording was deleted after {period}; the transcript is kept"))
}
