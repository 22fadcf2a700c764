//! The concierge's ask page: everything about one ask in one view, and the steering of its
//! card and its hold. The rest of the steering (who is asked, the digest) is in `steering`.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::Json;
use coagent_store::{Ask, AskId, CardSource, Member, MemberId, ProblemCard, QueueQuery, RecordingId, Timestamp};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::record;
use crate::auth::Concierge;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::network::{queue_routing, send_digest};
use crate::state::AppState;
use crate::views::{
    rfc3339, AskerView, AudioView, ConsoleAnswerView, ConsoleAskView, ConsoleAskedView, ConsoleCardView,
    ConsoleDigestView, DigestPointView, PersonView, SegmentView,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_ask))
        .routes(routes!(edit_card))
        .routes(routes!(pause))
        .routes(routes!(resume))
}

/// The card as the concierge rewrites it: every field, as it should read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CardBody {
    pub title: String,
    pub summary: String,
    pub help_needed: String,
    pub tags: Vec<String>,
}

/// Everything about one ask, for the concierge.
#[utoipa::path(get, path = "/api/v1/console/asks/{id}", params(("id" = String, Path)), tag = "console",
    responses((status = 200, body = ConsoleAskView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn get_ask(
    State(state): State<AppState>,
    Concierge(_): Concierge,
    Path(id): Path<String>,
) -> Result<Json<ConsoleAskView>, ApiError> {
    Ok(Json(ask_page(&state, ask_id(&id)?).await?))
}

/// Rewrites the card (`card.edit`); the asker is shown it was edited, and the next wave is
/// matched on the new card.
#[utoipa::path(put, path = "/api/v1/console/asks/{id}/card", params(("id" = String, Path)), request_body = CardBody,
    tag = "console", responses((status = 200, body = ConsoleAskView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn edit_card(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CardBody>,
) -> Result<Json<ConsoleAskView>, ApiError> {
    let id = ask_id(&id)?;
    let card = validated(body)?;
    let (before, after) = state.store.edit_card_as_concierge(id, &card, Timestamp::now()).await?;
    record(&state, &concierge, "card.edit", ("ask", id.to_string()), card_json(&before), card_json(&after)).await?;
    Ok(Json(ask_page(&state, id).await?))
}

/// Puts the ask on hold (`ask.pause`): no new wave is asked and no digest is pushed until it
/// is resumed. Peers already asked can still answer.
#[utoipa::path(post, path = "/api/v1/console/asks/{id}/pause", params(("id" = String, Path)), tag = "console",
    responses((status = 200, body = ConsoleAskView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
async fn pause(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path(id): Path<String>,
) -> Result<Json<ConsoleAskView>, ApiError> {
    let ask = state.store.pause_ask(ask_id(&id)?, Timestamp::now()).await?;
    let after = json!({ "paused_at": ask.paused_at.map(rfc3339) });
    record(
        &state,
        &concierge,
        "ask.pause",
        ("ask", ask.id.to_string()),
        Some(json!({ "paused_at": null })),
        Some(after),
    )
    .await?;
    Ok(Json(ask_page(&state, ask.id).await?))
}

/// Lets the ask go again (`ask.resume`): routing picks up where it stopped, and a digest saved
/// while it was on hold is sent to the asker.
#[utoipa::path(post, path = "/api/v1/console/asks/{id}/resume", params(("id" = String, Path)), tag = "console",
    responses((status = 200, body = ConsoleAskView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
async fn resume(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path(id): Path<String>,
) -> Result<Json<ConsoleAskView>, ApiError> {
    let id = ask_id(&id)?;
    let paused_at = state.store.get_ask(id).await?.paused_at;
    let now = Timestamp::now();
    let ask = state.store.resume_ask(id, now).await?;
    // Escalations that came due while on hold ended without a wave: routing starts again now.
    queue_routing(&state, ask.id, &format!("resume-{}", now.as_millis()), now).await?;
    if let Some(digest) = state.store.get_digest(ask.id).await? {
        if digest.is_unsent() && !digest.points.is_empty() {
            let edition = u64::try_from(digest.created_at.as_millis()).unwrap_or_default();
            send_digest(&state, &ask, edition, now).await?;
        }
    }
    let before = json!({ "paused_at": paused_at.map(rfc3339) });
    record(
        &state,
        &concierge,
        "ask.resume",
        ("ask", ask.id.to_string()),
        Some(before),
        Some(json!({ "paused_at": null })),
    )
    .await?;
    Ok(Json(ask_page(&state, ask.id).await?))
}

/// An ask id from the path; one that cannot be an id is an ask that does not exist.
pub(super) fn ask_id(id: &str) -> Result<AskId, ApiError> {
    id.parse().map_err(|_| ApiError::NotFound)
}

fn validated(body: CardBody) -> Result<ProblemCard, ApiError> {
    let text = |name: &str, value: String| {
        let value = value.trim().to_owned();
        if value.is_empty() {
            return Err(ApiError::InvalidInput(format!("`{name}` must not be empty")));
        }
        Ok(value)
    };
    Ok(ProblemCard {
        title: text("title", body.title)?,
        summary: text("summary", body.summary)?,
        help_needed: text("help_needed", body.help_needed)?,
        tags: body.tags.into_iter().map(|tag| tag.trim().to_owned()).filter(|tag| !tag.is_empty()).collect(),
    })
}

fn card_json(ask: &Ask) -> Option<Value> {
    ask.card.as_ref().map(|card| {
        json!({ "title": card.card.title, "summary": card.card.summary,
                "help_needed": card.card.help_needed, "tags": card.card.tags })
    })
}

/// The ask page: the ask, its asker, who was asked, the answers and the digest.
pub(super) async fn ask_page(state: &AppState, id: AskId) -> Result<ConsoleAskView, ApiError> {
    let ask = state.store.get_ask(id).await?;
    let members: HashMap<MemberId, Member> =
        state.store.list_members().await?.into_iter().map(|member| (member.id, member)).collect();
    let person = |id: MemberId| PersonView {
        id: id.to_string(),
        name: members.get(&id).map(|member| member.name.clone()).unwrap_or_default(),
    };
    let profile = state.store.get_profile(ask.member_id).await?;
    let requests = state.store.requests_for_ask(ask.id).await?;
    let answers = state.store.answers_for(ask.id).await?;
    // The queue's own rule, so the page and the queue never disagree about an ask's state.
    let among = QueueQuery { among: Some(vec![ask.id]), limit: 1, ..QueueQuery::default() };
    let queued = state.store.console_queue(&among).await?.entries.into_iter().next().ok_or(ApiError::NotFound)?;

    let asked = requests
        .iter()
        .map(|request| ConsoleAskedView {
            member_id: request.member_id.to_string(),
            name: person(request.member_id).name,
            wave: request.wave,
            rank: request.rank,
            state: request.state.as_str().to_owned(),
            reasons: request.reasons.clone(),
            added_by: request.added_by.map(person),
            referred_by: request.referred_by.map(person),
            withdrawn: request.withdrawn_at.is_some(),
            asked_at: rfc3339(request.asked_at),
            responded_at: request.responded_at.map(rfc3339),
        })
        .collect();
    let mut answer_views = Vec::with_capacity(answers.len());
    for answer in &answers {
        let audio = audio_view(state, answer.recording_id, format!("/api/v1/answers/{}/audio", answer.id)).await?;
        answer_views.push(ConsoleAnswerView {
            id: answer.id.to_string(),
            member: person(answer.member_id),
            text: answer.text.clone(),
            via: answer.via.as_str().to_owned(),
            segments: SegmentView::list(answer.segments.as_deref()),
            audio,
            helpful: answer.helpful,
            left_out: answer.left_out,
            created_at: rfc3339(answer.created_at),
        });
    }
    let digest = state.store.get_digest(ask.id).await?.map(|digest| ConsoleDigestView {
        text: digest.text(),
        points: digest.points.iter().map(DigestPointView::from).collect(),
        answer_count: digest.answer_count,
        curated_by: digest.curated_by.map(person),
        curated_at: digest.curated_at.map(rfc3339),
        sent_at: digest.sent_at.map(rfc3339),
    });
    let asker = members.get(&ask.member_id);
    Ok(ConsoleAskView {
        id: ask.id.to_string(),
        state: queued.state.as_str().to_owned(),
        status: ask.status.as_str().to_owned(),
        paused: ask.paused_at.is_some(),
        paused_at: ask.paused_at.map(rfc3339),
        asker: AskerView {
            id: ask.member_id.to_string(),
            name: asker.map(|member| member.name.clone()).unwrap_or_default(),
            team: profile.team,
            site: profile.site,
        },
        created_at: rfc3339(ask.created_at),
        share_audio: ask.share_audio,
        transcript: ask.transcript.clone(),
        segments: SegmentView::list(ask.segments.as_deref()),
        audio: audio_view(state, ask.recording_id, format!("/api/v1/asks/{}/audio", ask.id)).await?,
        card: ask.card.as_ref().map(|card| ConsoleCardView {
            title: card.card.title.clone(),
            summary: card.card.summary.clone(),
            help_needed: card.card.help_needed.clone(),
            tags: card.card.tags.clone(),
            source: match card.source {
                CardSource::Model => "model".to_owned(),
                CardSource::Extractive => "extractive".to_owned(),
            },
        }),
        card_edited_by_asker: ask.card.as_ref().is_some_and(|card| card.edited),
        concierge_edited_at: ask.concierge_edited_at.map(rfc3339),
        asked,
        answers: answer_views,
        digest,
    })
}

/// The player's source for a recording, if there is one.
async fn audio_view(
    state: &AppState,
    recording: Option<RecordingId>,
    url: String,
) -> Result<Option<AudioView>, ApiError> {
    let Some(id) = recording else { return Ok(None) };
    let recording = state.store.get_recording(id).await?;
    let deleted_at = recording.audio_deleted_at;
    Ok(Some(AudioView { url, available: deleted_at.is_none(), deleted_at: deleted_at.map(rfc3339) }))
}
