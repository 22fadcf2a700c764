//! A request body that is either typed text (`{"text": "…"}`) or spoken: an audio file as a
//! multipart part or a raw body, decoded and transcribed. Asks and answers both take it, and
//! keep the audio as a finished recording so that it can be heard like a live dictation.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, StatusCode};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use coagent_audio::SAMPLE_RATE;
use coagent_store::{AskId, MemberId, RecordingId, RecordingPurpose, Segment};

use crate::drafting::transcribe;
use crate::error::ApiError;
use crate::media::{decode_upload, pcm_s16le};
use crate::state::AppState;

/// Multipart framing adds a little on top of the file itself.
pub const MULTIPART_OVERHEAD: u64 = 64 * 1024;

#[derive(Debug, Deserialize, ToSchema)]
pub struct TextBody {
    pub text: String,
}

/// What the body said, and how it sounded when it was spoken.
pub struct Said {
    pub text: String,
    pub voice: Option<Voice>,
}

/// An uploaded recording, decoded and transcribed.
pub struct Voice {
    /// Where each stretch of the text lies in the audio.
    pub segments: Vec<Segment>,
    /// The decoded audio as 16 kHz mono 16-bit PCM, the format recordings are kept in.
    pub pcm: Vec<u8>,
}

impl Voice {
    /// Keeps the upload as a finished recording of `member`'s (for `ask_id` when it answers
    /// one), stored and served exactly like a live dictation's audio.
    pub async fn keep(
        &self,
        state: &AppState,
        member_id: MemberId,
        ask_id: Option<AskId>,
    ) -> Result<RecordingId, ApiError> {
        let purpose = if ask_id.is_some() { RecordingPurpose::Answer } else { RecordingPurpose::Ask };
        let recording = state.store.create_recording(member_id, purpose, ask_id, SAMPLE_RATE).await?;
        state.audio.append(recording.id, &self.pcm).await?;
        state.audio.finish(recording.id).await?;
        Ok(recording.id)
    }
}

pub async fn text_or_transcript(state: &AppState, request: Request) -> Result<Said, ApiError> {
    let limit = state.config.max_upload_bytes;
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit + MULTIPART_OVERHEAD) {
        // Refused before reading a byte: a 200 MB upload costs the server nothing.
        return Err(ApiError::PayloadTooLarge(limit));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        let Json(body) = Json::<TextBody>::from_request(request, &()).await?;
        return Ok(Said { text: body.text, voice: None });
    }
    let bytes = if content_type.starts_with("multipart/form-data") {
        upload_from_multipart(request, limit).await?
    } else {
        Bytes::from_request(request, &()).await.map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(limit),
            _ => ApiError::InvalidInput(rejection.body_text()),
        })?
    };
    if bytes.len() as u64 > limit {
        return Err(ApiError::PayloadTooLarge(limit));
    }
    let (audio, pcm) = tokio::task::spawn_blocking(move || {
        let audio = decode_upload(&bytes)?;
        let pcm = pcm_s16le(audio.samples());
        Ok::<_, ApiError>((audio, pcm))
    })
    .await
    .map_err(ApiError::internal)??;
    let transcript = transcribe(state, audio.into_samples()).await?;
    if transcript.is_empty() {
        // Said here, before the caller keeps audio that nothing will ever point to.
        return Err(ApiError::InvalidInput("nothing was said: the transcript is empty".into()));
    }
    Ok(Said { text: transcript.text, voice: Some(Voice { segments: transcript.segments, pcm }) })
}

async fn upload_from_multipart(request: Request, limit: u64) -> Result<Bytes, ApiError> {
    let too_large = |error: axum::extract::multipart::MultipartError| match error.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(limit),
        _ => ApiError::InvalidInput(error.body_text()),
    };
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|rejection| ApiError::InvalidInput(rejection.body_text()))?;
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.file_name().is_some() || field.name() == Some("audio") {
            return field.bytes().await.map_err(too_large);
        }
    }
    Err(ApiError::InvalidInput("the form has no file part; send the audio as a part named `audio`".into()))
}
