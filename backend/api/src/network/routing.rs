//! Routing one confirmed ask: embed its card (once), let matching decide the next wave, record
//! who is asked and why, queue their notifications, and schedule the escalation.

use coagent_matching::{next_wave, Asked, Finished, Reply, Wave};
use coagent_store::{Ask, AskStatus, Job, NewRequest, RequestState, Timestamp};
use serde_json::json;

use super::clock::{from_utc, to_utc};
use super::outbox;
use super::population;
use super::runner::{ask_id_of, queue_routing, Outcome};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn route(state: &AppState, job: &Job, now: Timestamp) -> Result<Outcome, ApiError> {
    let ask = state.store.get_ask(ask_id_of(job)?).await?;
    if !matches!(ask.status, AskStatus::Confirmed | AskStatus::Routed) {
        return Ok(Outcome::Done); // answered, closed (or never confirmed): nobody more to ask
    }
    if ask.paused_at.is_some() {
        // On hold: resuming queues routing again, so this job simply ends.
        tracing::info!(ask = %ask.id, "the ask is on hold: no new wave");
        return Ok(Outcome::Done);
    }
    let embedding = card_embedding(state, &ask).await?;
    let (to_match, peers) = population::load(&state.store, &ask, embedding, now).await?;
    let requests = state.store.requests_for_ask(ask.id).await?;
    let asked: Vec<Asked> = requests
        .iter()
        .map(|request| Asked {
            member_id: request.member_id.to_string(),
            asked_at: to_utc(request.asked_at),
            reply: match request.state {
                // Nobody waits for a request the concierge withdrew.
                RequestState::Open if request.withdrawn_at.is_some() => Reply::Passed,
                RequestState::Open => Reply::Pending,
                RequestState::Answered => Reply::Answered,
                RequestState::Passed | RequestState::Referred => Reply::Passed,
            },
        })
        .collect();
    let policy = &state.config.network.policy;
    match next_wave(&to_match, &peers, &asked, to_utc(now), policy) {
        Wave::Ask(ranked) => {
            let wave = requests.iter().map(|request| request.wave).max().unwrap_or(0) + 1;
            let new: Vec<NewRequest> = ranked
                .iter()
                .enumerate()
                .filter_map(|(index, peer)| {
                    Some(NewRequest {
                        member_id: peer.member_id.parse().ok()?,
                        rank: u32::try_from(index + 1).unwrap_or(u32::MAX),
                        reasons: serde_json::to_value(&peer.reasons).unwrap_or_else(|_| json!({})),
                        referred_by: None,
                    })
                })
                .collect();
            let made = state.store.add_requests(ask.id, wave, &new, now).await?;
            for request in &made {
                outbox::notify_request(state, &ask, request.member_id, now).await?;
            }
            if ask.status == AskStatus::Confirmed {
                state.store.advance_ask(ask.id, AskStatus::Routed).await?;
            }
            tracing::info!(ask = %ask.id, wave, asked = made.len(), "asked the next peers");
            let escalate_at = now + policy.escalate_after.to_std().unwrap_or_default();
            queue_routing(state, ask.id, &format!("wave-{}", wave + 1), escalate_at).await?;
        }
        Wave::WaitUntil(at) => {
            let at = from_utc(at);
            queue_routing(state, ask.id, &format!("at-{}", at.as_millis()), at).await?;
        }
        Wave::Done(finished) => {
            let why = match finished {
                Finished::Answered => "someone answered",
                Finished::CapReached => "the cap of peers asked is reached",
                Finished::NobodyLeft => "nobody else fits",
            };
            tracing::info!(ask = %ask.id, why, "routing is over");
        }
    }
    Ok(Outcome::Done)
}

/// The confirmed card's embedding, computed on first routing and kept.
pub(super) async fn card_embedding(state: &AppState, ask: &Ask) -> Result<Vec<f32>, ApiError> {
    if let Some(embedding) = state.store.ask_embedding(ask.id).await? {
        return Ok(embedding);
    }
    let text = card_text(ask);
    let embedding = embed_one(state, text).await?;
    state.store.set_ask_embedding(ask.id, &embedding).await?;
    Ok(embedding)
}

/// What an ask is about, for embedding: the card (title, summary, help asked), else the transcript.
pub fn card_text(ask: &Ask) -> String {
    match &ask.card {
        Some(card) => format!("{}. {} {}", card.card.title, card.card.summary, card.card.help_needed),
        None => ask.transcript.clone(),
    }
}

/// One embedding on the embedding workers.
pub async fn embed_one(state: &AppState, text: String) -> Result<Vec<f32>, ApiError> {
    let embedder = state.engines.embedder.clone();
    let mut vectors = state.embedding_pool.run(move || embedder.embed(&[text.as_str()])).await??;
    vectors.pop().ok_or_else(|| ApiError::internal(std::io::Error::other("the embedder returned nothing")))
}
