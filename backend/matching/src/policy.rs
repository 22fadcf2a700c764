//! The knobs of matching, with the defaults the product starts from.

use chrono::TimeDelta;

/// How many peers to ask, when to escalate, and how each signal weighs.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Peers asked as soon as the ask is confirmed.
    pub first_wave: usize,
    /// Peers added by each escalation.
    pub wave_size: usize,
    /// No more peers are asked for one ask once this many have been.
    pub max_asked: usize,
    /// How long the latest pending request is given before the next wave goes out.
    pub escalate_after: TimeDelta,
    /// A peer whose relevance is not above this has no claim to be asked.
    pub min_relevance: f32,
    pub relevance: RelevanceWeights,
    pub availability: AvailabilityWeights,
    pub bridging: BridgingWeights,
}

/// How much each kind of evidence counts towards relevance (see [`crate::Reasons::relevance`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelevanceWeights {
    /// The expertise a member describes: a claim, not yet a proof.
    pub expertise: f32,
    /// A similar ask they answered and the asker rated helpful: the strongest proof.
    pub helpful_answer: f32,
    /// A similar ask they answered, not rated yet.
    pub unrated_answer: f32,
    /// A similar ask they answered and the asker rated not helpful.
    pub not_helpful_answer: f32,
}

/// How availability is read from the load and habits of a peer (see [`crate::Reasons::availability`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AvailabilityWeights {
    /// The budget factor is `1 − used_budget_penalty × requests_this_week / weekly_budget`, so that
    /// requests spread over the members instead of draining the favourites' budgets first.
    pub used_budget_penalty: f32,
    /// Each open request divides availability by `1 + open_request_penalty × open`.
    pub open_request_penalty: f32,
    /// A peer whose median response takes this long has half the availability of an instant one.
    pub response_half_time: TimeDelta,
    /// The speed factor of a peer with no response history yet.
    pub unknown_response: f32,
}

/// The bonus for weak ties: peers outside the asker's own team and site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BridgingWeights {
    pub other_team: f32,
    pub other_site: f32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            first_wave: 3,
            wave_size: 3,
            max_asked: 9,
            escalate_after: TimeDelta::minutes(30),
            min_relevance: 0.0,
            relevance: RelevanceWeights::default(),
            availability: AvailabilityWeights::default(),
            bridging: BridgingWeights::default(),
        }
    }
}

impl Default for RelevanceWeights {
    fn default() -> Self {
        Self { expertise: 0.85, helpful_answer: 1.0, unrated_answer: 0.7, not_helpful_answer: 0.2 }
    }
}

impl Default for AvailabilityWeights {
    fn default() -> Self {
        Self {
            used_budget_penalty: 0.5,
            open_request_penalty: 0.5,
            response_half_time: TimeDelta::hours(1),
            unknown_response: 0.75,
        }
    }
}

impl Default for BridgingWeights {
    fn default() -> Self {
        Self { other_team: 0.15, other_site: 0.10 }
    }
}
