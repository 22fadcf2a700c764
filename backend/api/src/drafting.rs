//! Turning a transcript into a stored draft with its card: shared by typed asks, uploaded
//! audio and live dictation, so all three store the same thing.

use coagent_domain::Transcript;
use coagent_store::{Ask, MemberId, RecordingId, Segment};
use tokio::sync::mpsc;
use tracing::instrument;

use crate::error::ApiError;
use crate::state::AppState;

/// Transcribes a whole 16 kHz clip on the speech workers.
#[instrument(skip_all, fields(samples = samples.len()))]
pub async fn transcribe(state: &AppState, samples: Vec<f32>) -> Result<Transcript, ApiError> {
    let engine = state.engines.transcriber.clone();
    Ok(state.speech_pool.run(move || engine.transcribe(&samples)).await??)
}

/// Stores the draft, summarizes it on the summary workers (sending each generated piece to
/// `deltas` if given) and stores the card. The summary slot is reserved before the draft is
/// written, so a busy summarizer leaves no orphan draft behind. `segments` time a spoken
/// transcript within its recording (`None` for typed text).
#[instrument(skip(state, transcript, segments, deltas), fields(transcript_len = transcript.len()))]
pub async fn draft_ask(
    state: &AppState,
    member_id: MemberId,
    transcript: String,
    segments: Option<Vec<Segment>>,
    recording_id: Option<RecordingId>,
    deltas: Option<mpsc::UnboundedSender<String>>,
) -> Result<Ask, ApiError> {
    if transcript.trim().is_empty() {
        return Err(ApiError::InvalidInput("nothing was said: the transcript is empty".into()));
    }
    let slot = state.summary_pool.reserve()?;
    let ask = state.store.create_draft_with_segments(member_id, &transcript, recording_id, segments.as_deref()).await?;
    let summarizer = state.engines.summarizer.clone();
    let summary = slot
        .run(move || {
            let mut on_token = |piece: &str| {
                if let Some(deltas) = &deltas {
                    let _ = deltas.send(piece.to_owned());
                }
            };
            summarizer.summarize(&transcript, &mut on_token)
        })
        .await??;
    Ok(state.store.update_card(ask.id, &summary.card, summary.source).await?)
}
