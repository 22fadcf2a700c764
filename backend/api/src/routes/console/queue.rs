//! The queue: every ask with where it stands, newest first, counted per state; narrowed by
//! words (`q`), by state, or ranked by closeness to a free text (`similar`).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use coagent_matching::{similar_asks, PastAsk};
use coagent_store::{AskId, QueueEntry, QueueQuery, QueueState, MAX_AMONG};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Concierge;
use crate::error::ApiError;
use crate::network::embed_one;
use crate::state::AppState;
use crate::views::{rfc3339, PersonView};

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;
/// An excerpt is about this long, cut at a word.
const EXCERPT_CHARS: usize = 160;
const MAX_TERMS: usize = 10;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(queue))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueParams {
    /// `draft`, `routed`, `waiting`, `answered` or `closed`; the counts ignore it.
    state: Option<String>,
    /// Words that must all appear in the transcript, title, summary, help asked or tags.
    q: Option<String>,
    /// Free text: asks are ranked by how close their card is to it (asks never embedded are left out).
    similar: Option<String>,
    /// At most this many asks (default 50, at most 200).
    limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueView {
    pub counts: QueueCountsView,
    pub asks: Vec<QueueAskView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueCountsView {
    pub draft: u32,
    pub routed: u32,
    pub waiting: u32,
    pub answered: u32,
    pub closed: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueAskView {
    pub id: String,
    /// Where it stands for the concierge: `draft`, `routed`, `waiting`, `answered` or `closed`.
    pub state: String,
    /// The ask's own status: `draft`, `confirmed`, `routed`, `answered` or `closed`.
    pub status: String,
    pub asker: PersonView,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// The start of the transcript, about 160 characters.
    pub excerpt: String,
    pub created_at: String,
    pub created_at_ms: i64,
    pub paused: bool,
    pub asked_count: u32,
    pub answer_count: u32,
    /// Cosine similarity to `similar`, when given.
    pub similarity: Option<f32>,
}

/// The queue of asks, newest first (closest first with `similar`).
#[utoipa::path(get, path = "/api/v1/console/asks", params(QueueParams), tag = "console",
    responses((status = 200, body = QueueView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn queue(
    State(state): State<AppState>,
    Concierge(_): Concierge,
    Query(params): Query<QueueParams>,
) -> Result<Json<QueueView>, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::InvalidInput(format!("limit must be from 1 to {MAX_LIMIT}")));
    }
    let queue_state = match params.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(text.parse::<QueueState>().map_err(ApiError::InvalidInput)?),
        None => None,
    };
    let terms: Vec<String> = params.q.as_deref().unwrap_or_default().split_whitespace().map(str::to_owned).collect();
    if terms.len() > MAX_TERMS {
        return Err(ApiError::InvalidInput(format!("search with at most {MAX_TERMS} words")));
    }
    let similarity = match params.similar.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(ranking(&state, text).await?),
        None => None,
    };
    let among = similarity.as_ref().map(|ranked| ranked.iter().map(|(id, _)| *id).collect());
    let query = QueueQuery { terms, state: queue_state, among, limit };
    let queue = state.store.console_queue(&query).await?;
    let scores: HashMap<AskId, f32> = similarity.unwrap_or_default().into_iter().collect();
    let counts = queue.counts;
    Ok(Json(QueueView {
        counts: QueueCountsView {
            draft: counts.draft,
            routed: counts.routed,
            waiting: counts.waiting,
            answered: counts.answered,
            closed: counts.closed,
        },
        asks: queue.entries.into_iter().map(|entry| view(entry, &scores)).collect(),
    }))
}

/// Embedded asks ranked by closeness to `text`, closest first, as many as one query may name.
async fn ranking(state: &AppState, text: &str) -> Result<Vec<(AskId, f32)>, ApiError> {
    let embedding = embed_one(state, text.to_owned()).await?;
    let past: Vec<PastAsk> = state
        .store
        .embedded_asks()
        .await?
        .into_iter()
        .map(|ask| PastAsk { ask_id: ask.id.to_string(), embedding: ask.embedding })
        .collect();
    Ok(similar_asks(&embedding, &past, MAX_AMONG, -1.0)
        .into_iter()
        .filter_map(|found| Some((found.ask_id.parse().ok()?, found.similarity)))
        .collect())
}

fn view(entry: QueueEntry, scores: &HashMap<AskId, f32>) -> QueueAskView {
    QueueAskView {
        id: entry.ask_id.to_string(),
        state: entry.state.as_str().to_owned(),
        status: entry.status.as_str().to_owned(),
        asker: PersonView { id: entry.asker_id.to_string(), name: entry.asker_name },
        title: entry.title,
        summary: entry.summary,
        excerpt: excerpt(&entry.transcript_start),
        created_at: rfc3339(entry.created_at),
        created_at_ms: entry.created_at.as_millis(),
        paused: entry.paused,
        asked_count: entry.asked_count,
        answer_count: entry.answer_count,
        similarity: scores.get(&entry.ask_id).copied(),
    }
}

/// The transcript's start, cut at the last word that fits in `EXCERPT_CHARS`, with an ellipsis
/// when something was cut.
fn excerpt(start: &str) -> String {
    let start = start.trim();
    if start.chars().count() <= EXCERPT_CHARS {
        return start.to_owned();
    }
    let cut: String = start.chars().take(EXCERPT_CHARS).collect();
    // A last word longer than half the excerpt is cut inside rather than dropped.
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(space) if cut[..space].chars().count() > EXCERPT_CHARS / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_transcript_is_its_own_excerpt() {
        assert_eq!(excerpt("  Two leads fight over the night shift. "), "Two leads fight over the night shift.");
    }

    #[test]
    fn a_long_transcript_is_cut_at_a_word_with_an_ellipsis() {
        let transcript = "word ".repeat(100);
        let cut = excerpt(&transcript);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
    }

    #[test]
    fn a_transcript_without_spaces_is_cut_inside_the_word() {
        let cut = excerpt(&"é".repeat(300));
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
    }
}
