//! The three factors of a peer's score, and the reasons shown to the concierge.
//!
//! `score = relevance × availability × bridging`. A product, as in the product design, so that
//! no bonus can lift a peer with no relevance, and a peer who is twice as relevant needs twice
//! the availability of a rival to lose to them. Every factor is kept in [`Reasons`], so the
//! concierge can redo the multiplication by hand.

use serde::{Deserialize, Serialize};

use crate::peer::{AskToMatch, Peer, Rating};
use crate::policy::Policy;
use crate::similarity::Query;

/// Why a peer got their score: each factor and what it was made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reasons {
    /// `max(w_expertise × cos(card, expertise), max over past answers of w_rating × cos(card, that ask))`,
    /// negative cosines counting as 0.
    ///
    /// The strongest single piece of evidence, not an average: one close ask answered well makes a
    /// good bet even among many answers on other topics, where an average would dilute exactly
    /// the specialists the asker needs. A helpful answer is proof and weighs most, declared
    /// expertise is a claim and weighs a little less, an unrated answer less again, and one rated
    /// not helpful hardly counts (weights in [`crate::RelevanceWeights`]).
    pub relevance: f32,
    /// The evidence that gave `relevance`.
    pub evidence: Option<Evidence>,
    pub expertise_similarity: Option<f32>,
    /// The cosine of the past answer that weighed most, and its rating.
    pub best_answer_similarity: Option<f32>,
    pub best_answer_rating: Option<Rating>,
    /// In [0, 1]: `budget × open × speed`, where `budget = 1 − p_b × used / weekly_budget`,
    /// `open = 1 / (1 + p_o × open_requests)` and `speed = h / (h + median_response)` (a fixed
    /// value without history), with `p_b`, `p_o` and `h` in [`crate::AvailabilityWeights`].
    /// Peers in quiet hours or out of budget are not ranked at all.
    pub availability: f32,
    pub requests_this_week: u32,
    pub weekly_budget: u32,
    pub open_requests: u32,
    pub median_response_minutes: Option<i64>,
    /// At least 1: `1 + other_team bonus + other_site bonus`, so that weak ties get used.
    /// A team or site unknown on either side earns nothing.
    pub bridging: f32,
    pub other_team: bool,
    pub other_site: bool,
    /// The reasons in one short sentence, for the concierge.
    pub summary: String,
}

/// The piece of evidence that made a peer relevant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Expertise,
    HelpfulAnswer,
    UnratedAnswer,
    NotHelpfulAnswer,
}

pub(crate) struct Relevance {
    pub(crate) value: f32,
    evidence: Option<Evidence>,
    expertise_similarity: Option<f32>,
    best_answer: Option<(f32, Rating)>,
}

pub(crate) fn relevance(card: &Query<'_>, peer: &Peer, policy: &Policy) -> Relevance {
    let weights = &policy.relevance;
    let mut best = Relevance { value: 0.0, evidence: None, expertise_similarity: None, best_answer: None };
    if let Some(expertise) = &peer.expertise {
        let similarity = card.cosine(expertise);
        best.expertise_similarity = Some(similarity);
        best.value = weights.expertise * similarity.max(0.0);
        best.evidence = (best.value > 0.0).then_some(Evidence::Expertise);
    }
    let mut best_answer_value = f32::NEG_INFINITY;
    for answer in &peer.answered {
        let similarity = card.cosine(&answer.embedding);
        let (weight, evidence) = match answer.rating {
            Rating::Helpful => (weights.helpful_answer, Evidence::HelpfulAnswer),
            Rating::Unrated => (weights.unrated_answer, Evidence::UnratedAnswer),
            Rating::NotHelpful => (weights.not_helpful_answer, Evidence::NotHelpfulAnswer),
        };
        let value = weight * similarity.max(0.0);
        if value > best_answer_value {
            best_answer_value = value;
            best.best_answer = Some((similarity, answer.rating));
        }
        if value > best.value {
            best.value = value;
            best.evidence = Some(evidence);
        }
    }
    best
}

pub(crate) fn availability(peer: &Peer, policy: &Policy) -> f32 {
    let weights = &policy.availability;
    let used = peer.requests_this_week as f32 / peer.weekly_budget.max(1) as f32;
    let budget = 1.0 - weights.used_budget_penalty * used.min(1.0);
    let open = 1.0 / (1.0 + weights.open_request_penalty * peer.open_requests as f32);
    let speed = match peer.median_response {
        Some(median) => {
            let half = weights.response_half_time.num_seconds().max(1) as f32;
            half / (half + median.num_seconds().max(0) as f32)
        }
        None => weights.unknown_response,
    };
    (budget * open * speed).clamp(0.0, 1.0)
}

pub(crate) fn reasons(ask: &AskToMatch, peer: &Peer, relevance: Relevance, policy: &Policy) -> Reasons {
    let other_team = differ(ask.asker_team.as_deref(), peer.team.as_deref());
    let other_site = differ(ask.asker_site.as_deref(), peer.site.as_deref());
    let bonus = &policy.bridging;
    let bridging =
        1.0 + if other_team { bonus.other_team } else { 0.0 } + if other_site { bonus.other_site } else { 0.0 };
    let mut reasons = Reasons {
        relevance: relevance.value,
        evidence: relevance.evidence,
        expertise_similarity: relevance.expertise_similarity,
        best_answer_similarity: relevance.best_answer.map(|(similarity, _)| similarity),
        best_answer_rating: relevance.best_answer.map(|(_, rating)| rating),
        availability: availability(peer, policy),
        requests_this_week: peer.requests_this_week,
        weekly_budget: peer.weekly_budget,
        open_requests: peer.open_requests,
        median_response_minutes: peer.median_response.map(|median| median.num_minutes()),
        bridging,
        other_team,
        other_site,
        summary: String::new(),
    };
    reasons.summary = summary(&reasons);
    reasons
}

impl Reasons {
    pub fn score(&self) -> f32 {
        self.relevance * self.availability * self.bridging
    }
}

/// Known on both sides and different; teams typed by hand differ in case and spaces only by accident.
fn differ(asker: Option<&str>, peer: Option<&str>) -> bool {
    match (asker, peer) {
        (Some(asker), Some(peer)) => !asker.trim().eq_ignore_ascii_case(peer.trim()),
        _ => false,
    }
}

fn summary(reasons: &Reasons) -> String {
    let mut parts = Vec::with_capacity(5);
    let similarity = match reasons.evidence {
        Some(Evidence::Expertise) => reasons.expertise_similarity,
        Some(_) => reasons.best_answer_similarity,
        None => None,
    }
    .unwrap_or(0.0);
    parts.push(match reasons.evidence {
        Some(Evidence::Expertise) => format!("close to their expertise ({similarity:.2})"),
        Some(Evidence::HelpfulAnswer) => format!("answered a similar ask helpfully ({similarity:.2})"),
        Some(Evidence::UnratedAnswer) => format!("answered a similar ask, not rated yet ({similarity:.2})"),
        Some(Evidence::NotHelpfulAnswer) => format!("answered a similar ask, rated not helpful ({similarity:.2})"),
        None => "no expertise or past answer close to this ask".to_owned(),
    });
    match (reasons.other_team, reasons.other_site) {
        (true, true) => parts.push("outside your team and site".to_owned()),
        (true, false) => parts.push("outside your team".to_owned()),
        (false, true) => parts.push("at another site".to_owned()),
        (false, false) => {}
    }
    parts.push(format!("{} of {} requests this week", reasons.requests_this_week, reasons.weekly_budget));
    parts.push(match reasons.open_requests {
        0 => "no open request".to_owned(),
        1 => "1 open request".to_owned(),
        open => format!("{open} open requests"),
    });
    parts.push(match reasons.median_response_minutes {
        Some(minutes) if minutes < 90 => format!("usually answers in about {} min", minutes.max(1)),
        Some(minutes) => format!("usually answers in about {} h", (minutes + 30) / 60),
        None => "no response time yet".to_owned(),
    });
    parts.join("; ")
}
