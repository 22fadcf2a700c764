//! The matcher's whole ranking for one ask, for the concierge: every active member but the
//! asker, those already asked included, so the concierge sees who else fits and why, and can
//! ask someone by hand.

use std::collections::HashSet;

use coagent_matching::{rank, Exclusion};
use coagent_store::{Ask, AskStatus, MemberId, Timestamp};
use serde_json::{json, Value};

use super::clock::to_utc;
use super::population;
use super::routing::{card_embedding, card_text, embed_one};
use crate::error::ApiError;
use crate::state::AppState;

/// One member as the matcher sees them for this ask.
pub struct Candidate {
    pub member_id: MemberId,
    /// Position in the ranking, 1 = best; members who may not be asked now come last.
    pub rank: u32,
    /// 0 for those who may not be asked now.
    pub score: f32,
    /// The matcher's reasons, or `{"summary", "exclusion"}` saying why they may not be asked now.
    pub reasons: Value,
    /// Whether the matcher would ask them now (budget left, relevant, not in quiet hours).
    pub eligible: bool,
}

/// Ranks every active member but the asker against the ask at `now`, best first.
pub async fn full_ranking(state: &AppState, ask: &Ask, now: Timestamp) -> Result<Vec<Candidate>, ApiError> {
    let embedding = if ask.status == AskStatus::Draft {
        // A draft's card may still change when it is confirmed: embed it, but keep nothing.
        embed_one(state, card_text(ask)).await?
    } else {
        card_embedding(state, ask).await?
    };
    let (to_match, peers) = population::load(&state.store, ask, embedding, now).await?;
    // Nobody counts as asked, so that those already asked are ranked (and flagged) too.
    let ranking = rank(&to_match, &peers, &HashSet::new(), to_utc(now), &state.config.network.policy);
    let ranked = ranking.ranked.into_iter().map(|ranked| {
        let reasons = serde_json::to_value(&ranked.reasons).unwrap_or_else(|_| json!({}));
        (ranked.member_id, ranked.score, reasons, true)
    });
    let not_now = ranking
        .excluded
        .into_iter()
        .filter(|excluded| !matches!(excluded.why, Exclusion::Asker | Exclusion::Inactive))
        .map(|excluded| {
            let reasons = json!({ "summary": excluded.why.to_string(), "exclusion": excluded.why });
            (excluded.member_id, 0.0, reasons, false)
        });
    Ok(ranked
        .chain(not_now)
        .enumerate()
        .filter_map(|(index, (member_id, score, reasons, eligible))| {
            Some(Candidate {
                member_id: member_id.parse().ok()?,
                rank: u32::try_from(index + 1).unwrap_or(u32::MAX),
                score,
                reasons,
                eligible,
            })
        })
        .collect())
}
