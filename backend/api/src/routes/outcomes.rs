//! What the asker does with the network's help: see similar earlier asks before sending, rate
//! answers, contact a peer directly (the service's headline metric), close the ask, and the
//! original recording for those allowed to hear it.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use coagent_matching::{similar_asks, PastAsk};
use coagent_store::{AnswerId, AskStatus, ContactChannel, MemberId, StoreError, Timestamp};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::asks::visible_ask;
use crate::auth::CurrentMember;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::media::wav_file;
use crate::network::{audio_gone, card_text, embed_one};
use crate::state::AppState;
use crate::views::{BestAnswerView, SimilarAskView, SimilarAsks};

/// Shown under a fresh card: a few, and only close ones.
const SIMILAR_LIMIT: usize = 3;
const SIMILAR_MIN: f32 = 0.5;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(similar))
        .routes(routes!(feedback))
        .routes(routes!(contact))
        .routes(routes!(close))
        .routes(routes!(audio))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Feedback {
    pub answer_id: String,
    pub helpful: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactRequest {
    pub member_id: String,
    /// `call`, `message` or `email`.
    pub channel: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactLink {
    /// `tel:…`, `sms:…` or `mailto:…`, to open on the device.
    pub href: String,
}

/// Earlier asks close to this one, with their best answers: the network may already know.
#[utoipa::path(get, path = "/api/v1/asks/{id}/similar", params(("id" = String, Path)),
    responses((status = 200, body = SimilarAsks), (status = 404, body = crate::error::ErrorBody)))]
async fn similar(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Result<Json<SimilarAsks>, ApiError> {
    let ask = visible_ask(&state, &member, &id).await?;
    let embedding = match state.store.ask_embedding(ask.id).await? {
        Some(embedding) => embedding,
        None => embed_one(&state, card_text(&ask)).await?,
    };
    let past: Vec<PastAsk> = state
        .store
        .embedded_asks()
        .await?
        .into_iter()
        .filter(|other| other.id != ask.id)
        .map(|other| PastAsk { ask_id: other.id.to_string(), embedding: other.embedding })
        .collect();
    let mut similar = Vec::new();
    for found in similar_asks(&embedding, &past, SIMILAR_LIMIT, SIMILAR_MIN) {
        let Ok(other_id) = found.ask_id.parse() else { continue };
        let other = state.store.get_ask(other_id).await?;
        let answers = state.store.answers_for(other.id).await?;
        // The asker's favourite if they rated one, else the first answer given.
        let best = answers
            .iter()
            .find(|a| a.helpful == Some(true))
            .or_else(|| answers.iter().find(|a| a.helpful != Some(false)));
        let best_answer = match best {
            Some(answer) => {
                let author = state.store.get_member(answer.member_id).await?.name;
                Some(BestAnswerView { author, text: answer.text.clone() })
            }
            None => None,
        };
        let title = other.card.map(|card| card.card.title).unwrap_or_default();
        similar.push(SimilarAskView { ask_id: found.ask_id, title, similarity: found.similarity, best_answer });
    }
    Ok(Json(SimilarAsks { similar }))
}

/// The asker rates an answer; ratings weigh in the next matching.
#[utoipa::path(post, path = "/api/v1/asks/{id}/feedback", params(("id" = String, Path)), request_body = Feedback,
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(member = %member.0.id))]
async fn feedback(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Feedback>,
) -> Result<StatusCode, ApiError> {
    let ask_id = id.parse().map_err(|_| ApiError::NotFound)?;
    let answer_id: AnswerId = body.answer_id.parse().map_err(|_| ApiError::NotFound)?;
    state.store.rate_answer(member.0.id, ask_id, answer_id, body.helpful).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Contact directly": records it and returns the link to open.
#[utoipa::path(post, path = "/api/v1/asks/{id}/contacts", params(("id" = String, Path)), request_body = ContactRequest,
    responses((status = 201, body = ContactLink), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(member = %member.0.id))]
async fn contact(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ContactRequest>,
) -> Result<(StatusCode, Json<ContactLink>), ApiError> {
    let ask = visible_ask(&state, &member, &id).await?;
    if ask.member_id != member.0.id {
        return Err(ApiError::NotFound);
    }
    let channel: ContactChannel = body.channel.parse().map_err(ApiError::InvalidInput)?;
    let peer: MemberId = body.member_id.parse().map_err(|_| ApiError::NotFound)?;
    // Only someone the ask brought in: a peer who was asked.
    match state.store.get_request(ask.id, peer).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => return Err(ApiError::NotFound),
        Err(other) => return Err(other.into()),
    }
    let profile = state.store.get_profile(peer).await?;
    let href = match channel {
        ContactChannel::Call => profile.phone.map(|phone| format!("tel:{}", phone.replace(' ', ""))),
        ContactChannel::Message => profile.phone.map(|phone| format!("sms:{}", phone.replace(' ', ""))),
        ContactChannel::Email => profile.email.map(|email| format!("mailto:{email}")),
    }
    .ok_or_else(|| ApiError::InvalidInput(format!("this peer has not shared a way to {}", channel.as_str())))?;
    state.store.record_contact(ask.id, member.0.id, peer, channel, Timestamp::now()).await?;
    Ok((StatusCode::CREATED, Json(ContactLink { href })))
}

/// The asker needs no more answers.
#[utoipa::path(post, path = "/api/v1/asks/{id}/close", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn close(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let ask = visible_ask(&state, &member, &id).await?;
    if ask.member_id != member.0.id {
        return Err(ApiError::NotFound);
    }
    if ask.status != AskStatus::Closed {
        state.store.advance_ask(ask.id, AskStatus::Closed).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The original recording as WAV: for the asker, a concierge, or an asked peer when shared.
/// Gone (410) once retention deleted it; the transcript stays on the ask.
#[utoipa::path(get, path = "/api/v1/asks/{id}/audio", params(("id" = String, Path)),
    responses((status = 200, content_type = "audio/wav"), (status = 404, body = crate::error::ErrorBody),
        (status = 410, body = crate::error::ErrorBody)))]
async fn audio(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let ask_id = id.parse().map_err(|_| ApiError::NotFound)?;
    let ask = state.store.get_ask(ask_id).await?;
    let asked = state.store.get_request(ask.id, member.0.id).await.is_ok_and(|request| request.withdrawn_at.is_none());
    let allowed = ask.member_id == member.0.id || member.is_concierge() || (ask.share_audio && asked);
    let recording_id = ask.recording_id.filter(|_| allowed).ok_or(ApiError::NotFound)?;
    let recording = state.store.get_recording(recording_id).await?;
    let pcm = match state.audio.read_all(recording_id).await {
        Err(StoreError::AudioDeleted) => return Err(audio_gone(&state)),
        other => other?,
    };
    let wav = wav_file(&pcm, recording.sample_rate).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "audio/wav")], wav))
}
