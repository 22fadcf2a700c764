//! A request body that is either typed text (`{"text": "…"}`) or spoken: an audio file as a
//! multipart part or a raw body, decoded and transcribed. Asks and answers both take it.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, StatusCode};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::drafting::transcribe;
use crate::error::ApiError;
use crate::media::decode_upload;
use crate::state::AppState;

/// Multipart framing adds a little on top of the file itself.
pub const MULTIPART_OVERHEAD: u64 = 64 * 1024;

#[derive(Debug, Deserialize, ToSchema)]
pub struct TextBody {
    pub text: String,
}

/// What the body said, and whether it was spoken.
pub struct Said {
    pub text: String,
    pub spoken: bool,
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
        return Ok(Said { text: body.text, spoken: false });
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
    let audio = tokio::task::spawn_blocking(move || decode_upload(&bytes)).await.map_err(ApiError::internal)??;
    let text = transcribe(state, audio.into_samples()).await?.text;
    Ok(Said { text, spoken: true })
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
