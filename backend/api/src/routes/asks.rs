//! Asks over plain HTTP: create one from typed text or an uploaded audio file, list and read
//! them (the asker sees who was asked, the answers and the digest; an asked peer sees the
//! card), and confirm a draft (with the asker's edits), which queues its routing.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use coagent_store::{Ask, AskId, AskStatus, CardEdits, StoreError, Timestamp};
use serde::Deserialize;
use tracing::instrument;
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::spoken::{text_or_transcript, TextBody, MULTIPART_OVERHEAD};
use crate::auth::CurrentMember;
use crate::drafting::draft_ask;
use crate::error::ApiError;
use crate::network::queue_routing;
use crate::state::AppState;
use crate::views::{AnswerView, AskList, AskView, AskedView, DigestView, MyRequestView, PeerAskView, PersonView};

pub fn router(max_upload_bytes: u64) -> OpenApiRouter<AppState> {
    let limit = usize::try_from(max_upload_bytes.saturating_add(MULTIPART_OVERHEAD)).unwrap_or(usize::MAX);
    OpenApiRouter::new()
        .routes(routes!(create_ask, list_asks).layer(DefaultBodyLimit::max(limit)))
        .routes(routes!(get_ask))
        .routes(routes!(confirm_ask))
}

/// Creates a draft from `{"text"}`, a multipart upload (first file part) or a raw audio body.
#[utoipa::path(post, path = "/api/v1/asks", request_body(content = TextBody, description = "or multipart/form-data with an `audio` file, or a raw audio body (WAV, M4A/AAC, Ogg or WebM Opus, MP3, FLAC)"),
    responses((status = 201, body = AskView), (status = 413, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(member = %member.0.id))]
async fn create_ask(
    State(state): State<AppState>,
    member: CurrentMember,
    request: Request,
) -> Result<(StatusCode, Json<AskView>), ApiError> {
    let said = text_or_transcript(&state, request).await?;
    let (segments, recording_id) = match said.voice {
        Some(voice) => {
            let recording_id = voice.keep(&state, member.0.id, None).await?;
            (Some(voice.segments), Some(recording_id))
        }
        None => (None, None),
    };
    let ask = draft_ask(&state, member.0.id, said.text, segments, recording_id, None).await?;
    Ok((StatusCode::CREATED, Json(AskView::from(&ask))))
}

/// The caller's own asks, newest first.
#[utoipa::path(get, path = "/api/v1/asks", responses((status = 200, body = AskList)))]
async fn list_asks(State(state): State<AppState>, member: CurrentMember) -> Result<Json<AskList>, ApiError> {
    let asks = state.store.list_asks_for(member.0.id).await?;
    Ok(Json(AskList { asks: asks.iter().map(AskView::from).collect() }))
}

/// One ask. Its asker and concierges get everything (who was asked and why, answers, digest);
/// a peer who was asked gets the card (`PeerAskView`); for anyone else it does not exist (404),
/// so ids cannot be probed.
#[utoipa::path(get, path = "/api/v1/asks/{id}", params(("id" = String, Path)),
    responses((status = 200, body = AskView, description = "the asker or a concierge; an asked peer gets a PeerAskView"),
        (status = 404, body = crate::error::ErrorBody)))]
async fn get_ask(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: AskId = id.parse().map_err(|_| ApiError::NotFound)?;
    let ask = state.store.get_ask(id).await?;
    if ask.member_id == member.0.id || member.is_concierge() {
        return Ok(Json(full_view(&state, &ask).await?).into_response());
    }
    let request = match state.store.get_request(ask.id, member.0.id).await {
        // A request the concierge withdrew is no longer the peer's to see.
        Ok(request) if request.withdrawn_at.is_none() => request,
        Ok(_) | Err(StoreError::NotFound) => return Err(ApiError::NotFound),
        Err(other) => return Err(other.into()),
    };
    let asker = state.store.get_member(ask.member_id).await?;
    let view = PeerAskView {
        id: ask.id.to_string(),
        status: ask.status.as_str().to_owned(),
        card: AskView::from(&ask).card,
        asker: PersonView::from(&asker),
        share_audio: ask.share_audio,
        my_request: MyRequestView {
            state: request.state.as_str().to_owned(),
            asked_at: crate::views::rfc3339(request.asked_at),
        },
    };
    Ok(Json(view).into_response())
}

/// The asker's (and concierge's) view: the ask with who was asked, the answers and the digest.
async fn full_view(state: &AppState, ask: &Ask) -> Result<AskView, ApiError> {
    let mut view = AskView::from(ask);
    let mut asked = Vec::new();
    for request in state.store.requests_for_ask(ask.id).await? {
        let peer = state.store.get_member(request.member_id).await?;
        asked.push(AskedView::new(&request, &peer.name));
    }
    let mut answers = Vec::new();
    for answer in state.store.answers_for(ask.id).await? {
        let author = state.store.get_member(answer.member_id).await?;
        let profile = state.store.get_profile(answer.member_id).await?;
        answers.push(AnswerView::new(&answer, &author, &profile));
    }
    view.asked = Some(asked);
    view.answers = Some(answers);
    view.digest = Some(state.store.get_digest(ask.id).await?.as_ref().map(DigestView::from));
    Ok(view)
}

/// The ask, if the caller is its asker or a concierge; otherwise it does not exist.
pub(super) async fn visible_ask(state: &AppState, member: &CurrentMember, id: &str) -> Result<Ask, ApiError> {
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
    /// Whether the peers asked may hear the original recording (default: no).
    #[serde(default)]
    pub share_audio: bool,
}

/// Confirms a draft, with optional edits, and queues its routing; nothing is routed unconfirmed.
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
    let share_audio = edits.share_audio;
    let edits = validated(edits)?;
    let ask = visible_ask(&state, &member, &id).await?;
    if ask.member_id != member.0.id {
        // A concierge may read a draft but only its asker may send it.
        return Err(ApiError::NotFound);
    }
    if ask.status != AskStatus::Draft {
        return Err(ApiError::InvalidTransition(format!("the ask is already {}", ask.status.as_str())));
    }
    let ask = state.store.confirm(member.0.id, ask.id, edits, share_audio).await?;
    queue_routing(&state, ask.id, "wave-1", Timestamp::now()).await?;
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
