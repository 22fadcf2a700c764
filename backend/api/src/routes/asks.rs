//! Asks over plain HTTP: create one from typed text or an uploaded audio file, list and read
//! them, and confirm a draft (with the asker's edits).

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use coagent_store::{Ask, AskId, AskStatus, CardEdits};
use serde::Deserialize;
use tracing::instrument;
use utoipa::ToSchema;

use crate::auth::CurrentMember;
use crate::drafting::{draft_ask, transcribe};
use crate::error::ApiError;
use crate::media::decode_upload;
use crate::state::AppState;
use crate::views::{AskList, AskView};

pub fn router(max_upload_bytes: u64) -> Router<AppState> {
    // Multipart framing adds a little on top of the file itself.
    let limit = usize::try_from(max_upload_bytes).unwrap_or(usize::MAX).saturating_add(64 * 1024);
    Router::new()
        .route("/asks", post(create_ask).layer(DefaultBodyLimit::max(limit)).get(list_asks))
        .route("/asks/{id}", get(get_ask))
        .route("/asks/{id}/confirm", post(confirm_ask))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TextAsk {
    pub text: String,
}

/// Creates a draft from `{"text"}`, a multipart upload (first file part) or a raw audio body.
#[utoipa::path(post, path = "/api/v1/asks", request_body(content = TextAsk, description = "or multipart/form-data with an `audio` file, or a raw audio body (WAV, M4A/AAC, Ogg or WebM Opus, MP3, FLAC)"),
    responses((status = 201, body = AskView), (status = 413, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(member = %member.0.id))]
async fn create_ask(
    State(state): State<AppState>,
    member: CurrentMember,
    request: Request,
) -> Result<(StatusCode, Json<AskView>), ApiError> {
    let limit = state.config.max_upload_bytes;
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit + 64 * 1024) {
        // Refused before reading a byte: a 200 MB upload costs the server nothing.
        return Err(ApiError::PayloadTooLarge(limit));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let transcript = if content_type.starts_with("application/json") {
        let Json(body) = Json::<TextAsk>::from_request(request, &()).await?;
        body.text
    } else {
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
        transcribe(&state, audio.into_samples()).await?.text
    };
    let ask = draft_ask(&state, member.0.id, transcript, None, None).await?;
    Ok((StatusCode::CREATED, Json(AskView::from(&ask))))
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

/// The caller's own asks, newest first.
#[utoipa::path(get, path = "/api/v1/asks", responses((status = 200, body = AskList)))]
async fn list_asks(State(state): State<AppState>, member: CurrentMember) -> Result<Json<AskList>, ApiError> {
    let asks = state.store.list_asks_for(member.0.id).await?;
    Ok(Json(AskList { asks: asks.iter().map(AskView::from).collect() }))
}

/// One ask. Only its asker and concierges see it; for anyone else it does not exist (404),
/// so ids cannot be probed.
#[utoipa::path(get, path = "/api/v1/asks/{id}", params(("id" = String, Path)),
    responses((status = 200, body = AskView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_ask(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Result<Json<AskView>, ApiError> {
    let ask = visible_ask(&state, &member, &id).await?;
    Ok(Json(AskView::from(&ask)))
}

async fn visible_ask(state: &AppState, member: &CurrentMember, id: &str) -> Result<Ask, ApiError> {
    let id: AskId = id.parse().map_err(|_| ApiError::NotFound)?;
    let ask = state.store.get_ask(id).await?;
    if ask.member_id != member.0.id && !member.is_concierge() {
        return Err(ApiError::NotFound);
    }
    Ok(ask)
}

/// The asker's corrections; absent fields keep the proposed card.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ConfirmEdits {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub help_needed: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// Confirms a draft, with optional edits; nothing is routed unconfirmed.
#[utoipa::path(post, path = "/api/v1/asks/{id}/confirm", params(("id" = String, Path)), request_body = ConfirmEdits,
    responses((status = 200, body = AskView), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
#[instrument(skip(state, member, body), fields(member = %member.0.id))]
async fn confirm_ask(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<AskView>, ApiError> {
    // The body is optional: an empty one confirms the card as proposed.
    let edits: ConfirmEdits = if body.iter().all(u8::is_ascii_whitespace) {
        ConfirmEdits::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|error| ApiError::InvalidJson(format!("the edits are not valid JSON: {error}")))?
    };
    let edits = validated(edits)?;
    let ask = visible_ask(&state, &member, &id).await?;
    if ask.member_id != member.0.id {
        // A concierge may read a draft but only its asker may send it.
        return Err(ApiError::NotFound);
    }
    if ask.status != AskStatus::Draft {
        return Err(ApiError::InvalidTransition(format!("the ask is already {}", ask.status.as_str())));
    }
    let ask = state.store.confirm(member.0.id, ask.id, edits).await?;
    Ok(Json(AskView::from(&ask)))
}

fn validated(edits: ConfirmEdits) -> Result<CardEdits, ApiError> {
    let text = |name: &str, value: Option<String>| match value.map(|v| v.trim().to_owned()) {
        Some(v) if v.is_empty() => Err(ApiError::InvalidInput(format!("`{name}` must not be empty"))),
        other => Ok(other),
    };
    let tags = edits
        .tags
        .map(|tags| tags.into_iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect::<Vec<_>>());
    Ok(CardEdits {
        title: text("title", edits.title)?,
        summary: text("summary", edits.summary)?,
        help_needed: text("help_needed", edits.help_needed)?,
        tags,
    })
}
