//! Steering who is asked and what the asker gets back: the matcher's whole ranking, asking a
//! peer by hand or taking a request back, and curating and sending the digest. Each change is
//! audited and answers with the ask page.

use std::collections::{HashMap, HashSet};

use axum::extract::{Path, State};
use axum::Json;
use coagent_store::{
    AnswerId, AskStatus, DigestPoint, Member, MemberId, NewRequest, StoreError, StoredDigest, Timestamp,
};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ask::{ask_id, ask_page};
use super::record;
use crate::auth::Concierge;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::network::{full_ranking, notify_request, queue_digest, send_digest};
use crate::state::AppState;
use crate::views::{rfc3339, CandidateView, ConsoleAskView, RankingView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ranking))
        .routes(routes!(add_request))
        .routes(routes!(withdraw_request))
        .routes(routes!(curate_digest))
        .routes(routes!(send_digest_now))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddRequestBody {
    /// The member to ask.
    pub member_id: String,
}

/// The digest as the concierge wants it read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CurationBody {
    /// The points, in order; an answer has at most one.
    pub points: Vec<CuratedPoint>,
    /// Answers left out of the digest (exactly these: the others are back in).
    #[serde(default)]
    pub left_out: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CuratedPoint {
    pub answer_id: String,
    pub sentence: String,
}

/// The matcher's whole ranking for the ask: every active member but the asker, best first,
/// those already asked flagged, those it would not ask now last with why.
#[utoipa::path(get, path = "/api/v1/console/asks/{id}/ranking", params(("id" = String, Path)), tag = "console",
    responses((status = 200, body = RankingView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn ranking(
    State(state): State<AppState>,
    Concierge(_): Concierge,
    Path(id): Path<String>,
) -> Result<Json<RankingView>, ApiError> {
    let ask = state.store.get_ask(ask_id(&id)?).await?;
    let asked: HashSet<MemberId> =
        state.store.requests_for_ask(ask.id).await?.into_iter().map(|request| request.member_id).collect();
    let names = member_names(&state).await?;
    let candidates = full_ranking(&state, &ask, Timestamp::now())
        .await?
        .into_iter()
        .map(|candidate| CandidateView {
            member_id: candidate.member_id.to_string(),
            name: names.get(&candidate.member_id).cloned().unwrap_or_default(),
            rank: candidate.rank,
            score: candidate.score,
            reasons: candidate.reasons,
            asked: asked.contains(&candidate.member_id),
            eligible: candidate.eligible,
        })
        .collect();
    Ok(Json(RankingView { candidates }))
}

/// Asks one more peer by hand (`request.add`): they get the request and its notification like
/// any peer the matcher chose, with the matcher's reasons marked `added_by_concierge`.
#[utoipa::path(post, path = "/api/v1/console/asks/{id}/requests", params(("id" = String, Path)),
    request_body = AddRequestBody, tag = "console",
    responses((status = 200, body = ConsoleAskView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn add_request(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AddRequestBody>,
) -> Result<Json<ConsoleAskView>, ApiError> {
    let ask = state.store.get_ask(ask_id(&id)?).await?;
    match ask.status {
        AskStatus::Draft => {
            return Err(ApiError::InvalidTransition("the ask is still a draft its asker has not sent".into()))
        }
        AskStatus::Closed => return Err(ApiError::InvalidTransition("the asker has closed this ask".into())),
        _ => {}
    }
    let not_a_peer = || ApiError::InvalidInput("there is no active member with that id other than the asker".into());
    let member_id: MemberId = body.member_id.parse().map_err(|_| not_a_peer())?;
    let requests = state.store.requests_for_ask(ask.id).await?;
    if requests.iter().any(|request| request.member_id == member_id) {
        return Err(ApiError::Conflict(ALREADY_ASKED.into()));
    }
    let now = Timestamp::now();
    let ranking = full_ranking(&state, &ask, now).await?;
    let candidate = ranking.into_iter().find(|candidate| candidate.member_id == member_id).ok_or_else(not_a_peer)?;
    let mut reasons = candidate.reasons;
    reasons["added_by_concierge"] = json!(true);
    // Asked alongside the latest wave; the escalation after it still counts from its start.
    let wave = requests.iter().map(|request| request.wave).max().unwrap_or(1);
    let new = NewRequest { member_id, rank: candidate.rank, reasons, referred_by: None };
    let request = match state.store.add_request_by_hand(ask.id, wave, &new, concierge.id, now).await {
        Err(StoreError::Conflict(_)) => return Err(ApiError::Conflict(ALREADY_ASKED.into())),
        other => other?,
    };
    notify_request(&state, &ask, member_id, now).await?;
    if ask.status == AskStatus::Confirmed {
        state.store.advance_ask(ask.id, AskStatus::Routed).await?;
    }
    let after = json!({ "member_id": member_id.to_string(), "wave": request.wave, "rank": request.rank });
    record(&state, &concierge, "request.add", ("ask", ask.id.to_string()), None, Some(after)).await?;
    Ok(Json(ask_page(&state, ask.id).await?))
}

const ALREADY_ASKED: &str = "this member was already asked for this ask";

/// Takes back an open request (`request.withdraw`): it leaves the peer's inbox and can no
/// longer be answered or passed. One the peer already handled is a 409.
#[utoipa::path(delete, path = "/api/v1/console/asks/{id}/requests/{member_id}",
    params(("id" = String, Path), ("member_id" = String, Path)), tag = "console",
    responses((status = 200, body = ConsoleAskView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
async fn withdraw_request(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path((id, member_id)): Path<(String, String)>,
) -> Result<Json<ConsoleAskView>, ApiError> {
    let id = ask_id(&id)?;
    let member_id: MemberId = member_id.parse().map_err(|_| ApiError::NotFound)?;
    let request = match state.store.withdraw_request(id, member_id, Timestamp::now()).await {
        Err(StoreError::Conflict(why)) => return Err(ApiError::Conflict(why)),
        other => other?,
    };
    let before = json!({ "member_id": member_id.to_string(), "state": "open", "withdrawn": false });
    let after = json!({ "member_id": member_id.to_string(), "state": "open", "withdrawn": true,
                        "withdrawn_at": request.withdrawn_at.map(rfc3339) });
    record(&state, &concierge, "request.withdraw", ("ask", id.to_string()), Some(before), Some(after)).await?;
    Ok(Json(ask_page(&state, id).await?))
}

/// Saves the concierge's digest (`digest.curate`) without sending it: the points as written,
/// exactly the answers in `left_out` left out. An answer in neither gets its point from the
/// digest writer, appended; so does any later answer, never touching the curated sentences.
#[utoipa::path(put, path = "/api/v1/console/asks/{id}/digest", params(("id" = String, Path)),
    request_body = CurationBody, tag = "console",
    responses((status = 200, body = ConsoleAskView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn curate_digest(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CurationBody>,
) -> Result<Json<ConsoleAskView>, ApiError> {
    let ask = state.store.get_ask(ask_id(&id)?).await?;
    let answers = state.store.answers_for(ask.id).await?;
    let authors: HashMap<AnswerId, MemberId> = answers.iter().map(|answer| (answer.id, answer.member_id)).collect();
    let answer_of_this_ask = |id: &str| {
        id.parse::<AnswerId>()
            .ok()
            .filter(|id| authors.contains_key(id))
            .ok_or_else(|| ApiError::InvalidInput(format!("{id} is not an answer to this ask")))
    };
    let left_out = body.left_out.iter().map(|id| answer_of_this_ask(id)).collect::<Result<Vec<_>, _>>()?;
    let before = state.store.get_digest(ask.id).await?;
    let names = member_names(&state).await?;
    let mut points: Vec<DigestPoint> = Vec::with_capacity(body.points.len());
    for point in body.points {
        let answer_id = answer_of_this_ask(&point.answer_id)?;
        let sentence = point.sentence.trim().to_owned();
        if sentence.is_empty() {
            return Err(ApiError::InvalidInput(format!("the point for answer {answer_id} is empty")));
        }
        if left_out.contains(&answer_id) || points.iter().any(|point| point.answer_id == answer_id) {
            return Err(ApiError::InvalidInput(format!("answer {answer_id} is given twice")));
        }
        // A sentence left as written keeps its origin; a rewritten one is the concierge's.
        let unchanged = before.iter().flat_map(|digest| &digest.points).find(|old| old.answer_id == answer_id);
        let source = match unchanged {
            Some(old) if old.sentence == sentence => old.source.clone(),
            _ => "concierge".to_owned(),
        };
        let author = names.get(&authors[&answer_id]).cloned().unwrap_or_default();
        points.push(DigestPoint { answer_id, author, sentence, source });
    }
    let now = Timestamp::now();
    let digest = state.store.curate_digest(ask.id, &points, &left_out, concierge.id, now).await?;
    let uncovered = answers.iter().any(|answer| {
        !left_out.contains(&answer.id) && !digest.points.iter().any(|point| point.answer_id == answer.id)
    });
    if uncovered {
        queue_digest(&state, ask.id, &format!("curated-{}", now.as_millis())).await?;
    }
    let previously_left_out: Vec<String> =
        answers.iter().filter(|answer| answer.left_out).map(|answer| answer.id.to_string()).collect();
    let before = before.map(|digest| curation_json(&digest, &previously_left_out));
    let left_out: Vec<String> = left_out.iter().map(ToString::to_string).collect();
    let after = curation_json(&digest, &left_out);
    record(&state, &concierge, "digest.curate", ("digest", ask.id.to_string()), before, Some(after)).await?;
    Ok(Json(ask_page(&state, ask.id).await?))
}

/// Pushes the digest as it stands to the asker now (`digest.send`), even while the ask is on
/// hold; 409 when there is nothing to send yet.
#[utoipa::path(post, path = "/api/v1/console/asks/{id}/digest/send", params(("id" = String, Path)), tag = "console",
    responses((status = 200, body = ConsoleAskView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
async fn send_digest_now(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path(id): Path<String>,
) -> Result<Json<ConsoleAskView>, ApiError> {
    let ask = state.store.get_ask(ask_id(&id)?).await?;
    let digest = state.store.get_digest(ask.id).await?;
    let Some(digest) = digest.filter(|digest| !digest.points.is_empty()) else {
        return Err(ApiError::Conflict("there is no digest to send yet".into()));
    };
    let now = Timestamp::now();
    // Each send by hand is its own notification, even of a digest the asker was sent before.
    let edition = u64::try_from(now.as_millis()).unwrap_or_default();
    let sent = send_digest(&state, &ask, edition, now).await?;
    let before = json!({ "sent_at": digest.sent_at.map(rfc3339) });
    let after = json!({ "sent_at": sent.sent_at.map(rfc3339), "answer_count": sent.answer_count });
    record(&state, &concierge, "digest.send", ("digest", ask.id.to_string()), Some(before), Some(after)).await?;
    Ok(Json(ask_page(&state, ask.id).await?))
}

fn curation_json(digest: &StoredDigest, left_out: &[String]) -> Value {
    let points: Vec<Value> = digest
        .points
        .iter()
        .map(|point| json!({ "answer_id": point.answer_id.to_string(), "sentence": point.sentence }))
        .collect();
    json!({ "points": points, "left_out": left_out })
}

async fn member_names(state: &AppState) -> Result<HashMap<MemberId, String>, ApiError> {
    let members: Vec<Member> = state.store.list_members().await?;
    Ok(members.into_iter().map(|member| (member.id, member.name)).collect())
}
