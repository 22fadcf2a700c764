//! Who to ask next for one ask: the first wave at once, then the next ones while nobody answers.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::peer::{AskToMatch, Peer};
use crate::policy::Policy;
use crate::rank::{rank, Ranked};

/// A peer already asked for this ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub member_id: String,
    pub asked_at: DateTime<Utc>,
    pub reply: Reply,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Pending,
    Answered,
    /// The peer declined: nobody waits for them.
    Passed,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Wave {
    /// Ask these peers now, best first.
    Ask(Vec<Ranked>),
    /// Nothing to do before then; call again at that time.
    WaitUntil(DateTime<Utc>),
    /// No more waves for this ask. Requests already sent may still be answered.
    Done(Finished),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finished {
    Answered,
    CapReached,
    NobodyLeft,
}

/// Decides the next step of routing one ask, given who was asked so far.
///
/// - Someone answered: done.
/// - `policy.max_asked` peers asked: done.
/// - Nobody asked yet: the best `policy.first_wave` peers.
/// - A request still pending and sent less than `policy.escalate_after` ago: wait until that
///   delay has passed for the latest one. Peers who passed are not waited for.
/// - Otherwise the next `policy.wave_size` best peers, never one asked before, within the cap.
/// - Nobody left to ask now: wait for the end of the quiet hours of a relevant peer, if any;
///   otherwise done.
pub fn next_wave(ask: &AskToMatch, peers: &[Peer], asked: &[Asked], now: DateTime<Utc>, policy: &Policy) -> Wave {
    if asked.iter().any(|asked| asked.reply == Reply::Answered) {
        return Wave::Done(Finished::Answered);
    }
    let already_asked: HashSet<String> = asked.iter().map(|asked| asked.member_id.clone()).collect();
    if already_asked.len() >= policy.max_asked {
        return Wave::Done(Finished::CapReached);
    }
    let latest_pending = asked.iter().filter(|asked| asked.reply == Reply::Pending).map(|asked| asked.asked_at).max();
    if let Some(latest) = latest_pending {
        let due = latest + policy.escalate_after;
        if now < due {
            return Wave::WaitUntil(due);
        }
    }
    let size = if asked.is_empty() { policy.first_wave } else { policy.wave_size };
    let size = size.min(policy.max_asked - already_asked.len());
    if size == 0 {
        // A wave size of 0 turns escalation off.
        return Wave::Done(Finished::CapReached);
    }
    let ranking = rank(ask, peers, &already_asked, now, policy);
    let mut chosen: Vec<Ranked> = Vec::with_capacity(size);
    // A member listed twice in `peers` is still asked once.
    for candidate in ranking.ranked.iter() {
        if chosen.len() == size {
            break;
        }
        if !chosen.iter().any(|picked| picked.member_id == candidate.member_id) {
            chosen.push(candidate.clone());
        }
    }
    if !chosen.is_empty() {
        return Wave::Ask(chosen);
    }
    match ranking.next_quiet_hours_end() {
        Some(until) => Wave::WaitUntil(until),
        None => Wave::Done(Finished::NobodyLeft),
    }
}

#[cfg(test)]
mod tests;
