//! Every member scored against one ask, best first, and those who may not be asked now, with why.

use std::collections::HashSet;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::peer::{AskToMatch, Peer};
use crate::policy::Policy;
use crate::score::{self, Reasons};
use crate::similarity::{by_score_then_id, Query};

/// The outcome of [`rank`]: who may be asked now, best first, and who may not, by member id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub ranked: Vec<Ranked>,
    pub excluded: Vec<Excluded>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub member_id: String,
    /// `reasons.relevance × reasons.availability × reasons.bridging`.
    pub score: f32,
    pub reasons: Reasons,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    pub member_id: String,
    pub why: Exclusion,
}

/// Why a member is not asked now. Checked in this order; the first that applies is given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Exclusion {
    Asker,
    Inactive,
    AlreadyAsked,
    /// A weekly budget of 0 means the member takes no requests at all.
    BudgetSpent {
        requests_this_week: u32,
        weekly_budget: u32,
    },
    NotRelevant {
        relevance: f32,
    },
    /// Relevant and with budget left, so worth asking once their quiet hours end.
    QuietHours {
        until: DateTime<Utc>,
    },
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exclusion::Asker => write!(f, "the asker"),
            Exclusion::Inactive => write!(f, "not active"),
            Exclusion::AlreadyAsked => write!(f, "already asked"),
            Exclusion::BudgetSpent { weekly_budget: 0, .. } => write!(f, "takes no requests"),
            Exclusion::BudgetSpent { requests_this_week, weekly_budget } => {
                write!(f, "{requests_this_week} of {weekly_budget} requests this week already")
            }
            Exclusion::NotRelevant { relevance } => write!(f, "not relevant enough ({relevance:.2})"),
            Exclusion::QuietHours { until } => write!(f, "in quiet hours until {}", until.format("%Y-%m-%d %H:%M UTC")),
        }
    }
}

impl Ranking {
    /// The earliest moment a peer now in quiet hours may be asked.
    pub fn next_quiet_hours_end(&self) -> Option<DateTime<Utc>> {
        self.excluded
            .iter()
            .filter_map(|excluded| match excluded.why {
                Exclusion::QuietHours { until } => Some(until),
                _ => None,
            })
            .min()
    }
}

/// Scores every peer against the ask at `now`.
///
/// The result depends only on its arguments, never on the order of `peers`: equal scores are
/// ordered by member id. Each member is expected once in `peers`.
pub fn rank(
    ask: &AskToMatch,
    peers: &[Peer],
    already_asked: &HashSet<String>,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Ranking {
    let card = Query::new(&ask.embedding);
    let mut ranked = Vec::new();
    let mut excluded = Vec::new();
    for peer in peers {
        match assess(&card, ask, peer, already_asked, now, policy) {
            Ok(reasons) => ranked.push(Ranked { member_id: peer.member_id.clone(), score: reasons.score(), reasons }),
            Err(why) => excluded.push(Excluded { member_id: peer.member_id.clone(), why }),
        }
    }
    ranked.sort_by(|a, b| by_score_then_id(a.score, &a.member_id, b.score, &b.member_id));
    excluded.sort_by(|a, b| a.member_id.cmp(&b.member_id));
    Ranking { ranked, excluded }
}

/// The cheap checks come before the cosines, and quiet hours after relevance, so that a wave
/// only waits for the end of quiet hours of peers worth asking.
fn assess(
    card: &Query<'_>,
    ask: &AskToMatch,
    peer: &Peer,
    already_asked: &HashSet<String>,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<Reasons, Exclusion> {
    if peer.member_id == ask.asker_id {
        return Err(Exclusion::Asker);
    }
    if !peer.active {
        return Err(Exclusion::Inactive);
    }
    if already_asked.contains(peer.member_id.as_str()) {
        return Err(Exclusion::AlreadyAsked);
    }
    if peer.requests_this_week >= peer.weekly_budget {
        let (requests_this_week, weekly_budget) = (peer.requests_this_week, peer.weekly_budget);
        return Err(Exclusion::BudgetSpent { requests_this_week, weekly_budget });
    }
    let relevance = score::relevance(card, peer, policy);
    if relevance.value <= policy.min_relevance {
        return Err(Exclusion::NotRelevant { relevance: relevance.value });
    }
    if let Some(until) = peer.quiet_until(now) {
        return Err(Exclusion::QuietHours { until });
    }
    Ok(score::reasons(ask, peer, relevance, policy))
}

#[cfg(test)]
mod tests;
