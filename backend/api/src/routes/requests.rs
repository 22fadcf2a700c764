//! The peer's side of an ask: the inbox of requests, answering (typed or an audio file; live
//! voice answers come through the WebSocket), passing, referring a colleague, and hearing a
//! voice answer again.

use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use coagent_store::{
    AnswerId, AnswerVia, AskId, AskStatus, MemberId, NewAnswer, NewRequest, RequestState, StoreError, Timestamp,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tracing::instrument;
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::spoken::{text_or_transcript, TextBody, MULTIPART_OVERHEAD};
use crate::auth::CurrentMember;
use crate::error::ApiError;
use crate::media::wav_file;
use crate::network::{audio_gone, notify_request, queue_digest};
use crate::state::AppState;
use crate::views::{Inbox, InboxItemView};

pub fn router(max_upload_bytes: u64) -> OpenApiRouter<AppState> {
    let limit = usize::try_from(max_upload_bytes.saturating_add(MULTIPART_OVERHEAD)).unwrap_or(usize::MAX);
    OpenApiRouter::new()
        .routes(routes!(inbox))
        .routes(routes!(answer).layer(DefaultBodyLimit::max(limit)))
        .routes(routes!(pass))
        .routes(routes!(refer))
        .routes(routes!(answer_audio))
}

/// Why a peer cannot act on a request the concierge took back.
pub const WITHDRAWN: &str = "the concierge withdrew this request; it no longer needs your answer";

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerCreated {
    pub answer_id: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Referral {
    /// The colleague who should get the request instead.
    pub member_id: String,
}

/// Requests sent to me, newest first.
#[utoipa::path(get, path = "/api/v1/inbox", responses((status = 200, body = Inbox)))]
async fn inbox(State(state): State<AppState>, member: CurrentMember) -> Result<Json<Inbox>, ApiError> {
    let items = state.store.inbox(member.0.id).await?;
    Ok(Json(Inbox { requests: items.iter().map(InboxItemView::from).collect() }))
}

/// Answers an ask I was asked to help with: `{"text"}`, or an audio file (multipart or raw).
#[utoipa::path(post, path = "/api/v1/asks/{id}/answers", params(("id" = String, Path)),
    request_body(content = TextBody, description = "or an audio file, as for POST /asks"),
    responses((status = 201, body = AnswerCreated), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(member = %member.0.id))]
async fn answer(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
    request: Request,
) -> Result<(StatusCode, Json<AnswerCreated>), ApiError> {
    let ask_id = open_ask_for_peer(&state, &member, &id).await?;
    let said = text_or_transcript(&state, request).await?;
    let mut answer = NewAnswer {
        ask_id,
        member_id: member.0.id,
        text: &said.text,
        via: AnswerVia::Text,
        recording_id: None,
        segments: None,
    };
    if let Some(voice) = &said.voice {
        answer.via = AnswerVia::Voice;
        answer.recording_id = Some(voice.keep(&state, member.0.id, Some(ask_id)).await?);
        answer.segments = Some(&voice.segments);
    }
    let answer_id = record_answer(&state, answer).await?;
    Ok((StatusCode::CREATED, Json(AnswerCreated { answer_id })))
}

/// Stores an answer and queues the digest that will include it (shared with live voice answers).
pub async fn record_answer(state: &AppState, answer: NewAnswer<'_>) -> Result<String, ApiError> {
    let text = answer.text.trim();
    if text.is_empty() {
        return Err(ApiError::InvalidInput("the answer is empty".into()));
    }
    let (ask_id, member_id) = (answer.ask_id, answer.member_id);
    let answer = match state.store.add_answer_with_segments(&NewAnswer { text, ..answer }, Timestamp::now()).await {
        Err(StoreError::Conflict(_)) => {
            let withdrawn = state.store.get_request(ask_id, member_id).await?.withdrawn_at.is_some();
            let why = if withdrawn { WITHDRAWN } else { "you have already answered this ask" };
            return Err(ApiError::Conflict(why.into()));
        }
        other => other?,
    };
    let count = state.store.answers_for(ask_id).await?.len();
    queue_digest(state, ask_id, &count.to_string()).await?;
    Ok(answer.id.to_string())
}

/// I cannot help with this one.
#[utoipa::path(post, path = "/api/v1/asks/{id}/pass", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn pass(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let ask_id = open_ask_for_peer(&state, &member, &id).await?;
    state.store.respond_to_request(ask_id, member.0.id, RequestState::Passed, Timestamp::now()).await?;
    // Everyone having passed is a reason to ask the next peers now rather than after the delay.
    crate::network::queue_routing(&state, ask_id, &format!("after-pass-{}", member.0.id), Timestamp::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A colleague knows better: they get the request (unless they were asked already).
#[utoipa::path(post, path = "/api/v1/asks/{id}/refer", params(("id" = String, Path)), request_body = Referral,
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(member = %member.0.id))]
async fn refer(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
    crate::extract::ApiJson(body): crate::extract::ApiJson<Referral>,
) -> Result<StatusCode, ApiError> {
    let ask_id = open_ask_for_peer(&state, &member, &id).await?;
    let colleague: MemberId =
        body.member_id.parse().map_err(|_| ApiError::InvalidInput("member_id is not a member id".into()))?;
    let ask = state.store.get_ask(ask_id).await?;
    let colleague_member = match state.store.get_member(colleague).await {
        Ok(found) if found.active => found,
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(ApiError::InvalidInput("there is no active member with that id".into()))
        }
        Err(other) => return Err(other.into()),
    };
    if colleague == member.0.id || colleague == ask.member_id {
        return Err(ApiError::InvalidInput("refer someone other than yourself or the asker".into()));
    }
    let request = state.store.get_request(ask_id, member.0.id).await?;
    let now = Timestamp::now();
    state.store.respond_to_request(ask_id, member.0.id, RequestState::Referred, now).await?;
    let reasons = json!({ "referred_by": member.0.name, "summary": format!("referred by {}", member.0.name) });
    let new = NewRequest { member_id: colleague, rank: 0, reasons, referred_by: Some(member.0.id) };
    let made = state.store.add_requests(ask_id, request.wave, &[new], now).await?;
    if !made.is_empty() {
        notify_request(&state, &ask, colleague_member.id, now).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The ask behind a request the caller holds, if it still takes answers.
async fn open_ask_for_peer(state: &AppState, member: &CurrentMember, id: &str) -> Result<AskId, ApiError> {
    let ask_id: AskId = id.parse().map_err(|_| ApiError::NotFound)?;
    let request = state.store.get_request(ask_id, member.0.id).await?; // NotFound when not asked
    if request.withdrawn_at.is_some() {
        return Err(ApiError::Conflict(WITHDRAWN.into()));
    }
    if request.state == RequestState::Answered {
        // Said before an uploaded answer is transcribed and its audio kept for nothing.
        return Err(ApiError::Conflict("you have already answered this ask".into()));
    }
    let ask = state.store.get_ask(ask_id).await?;
    if ask.status == AskStatus::Closed {
        return Err(ApiError::InvalidTransition("the asker has closed this ask".into()));
    }
    Ok(ask_id)
}

/// A voice answer's recording as WAV, for a concierge or the peer who gave it; for anyone else
/// it does not exist. 410 once the retention period has deleted the audio.
#[utoipa::path(get, path = "/api/v1/answers/{id}/audio", params(("id" = String, Path)),
    responses((status = 200, content_type = "audio/wav"), (status = 404, body = crate::error::ErrorBody),
        (status = 410, body = crate::error::ErrorBody)))]
async fn answer_audio(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let answer_id: AnswerId = id.parse().map_err(|_| ApiError::NotFound)?;
    let answer = state.store.get_answer(answer_id).await?;
    let allowed = answer.member_id == member.0.id || member.is_concierge();
    let recording_id = answer.recording_id.filter(|_| allowed).ok_or(ApiError::NotFound)?;
    let recording = state.store.get_recording(recording_id).await?;
    let pcm = match state.audio.read_all(recording_id).await {
        Err(StoreError::AudioDeleted) => return Err(audio_gone(&state)),
        other => other?,
    };
    let wav = wav_file(&pcm, recording.sample_rate).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "audio/wav")], wav))
}
