//! What matching needs to know about every member, read from the store in a few queries:
//! profiles, requests of the last weeks (budget, open requests, response speed) and the
//! answers each member gave before with their ratings.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{NaiveTime, TimeDelta};
use coagent_matching::{AskToMatch, PastAnswer, Peer, QuietHours, Rating, Tz};
use coagent_store::{Ask, MemberId, Profile, RequestState, Store, StoreError, Timestamp};

use super::clock::{before, WEEK};

/// How far back response speed is measured.
const RESPONSE_HISTORY: Duration = Duration::from_secs(90 * 24 * 3600);

/// Every member as a possible peer for `ask`, and the ask as matching sees it.
pub async fn load(
    store: &Store,
    ask: &Ask,
    embedding: Vec<f32>,
    now: Timestamp,
) -> Result<(AskToMatch, Vec<Peer>), StoreError> {
    let members = store.list_members().await?;
    let profiles = store.list_profiles().await?;
    let requests = store.requests_since(before(now, RESPONSE_HISTORY)).await?;
    let past_answers = store.past_answers().await?;

    let week_start = before(now, WEEK);
    let mut stats: HashMap<MemberId, RequestStats> = HashMap::new();
    for request in &requests {
        let entry = stats.entry(request.member_id).or_default();
        if request.asked_at >= week_start {
            entry.this_week += 1;
        }
        match (request.state, request.responded_at) {
            // A withdrawn request no longer waits on the peer.
            (RequestState::Open, _) if request.withdrawn_at.is_none() => entry.open += 1,
            (RequestState::Answered, Some(at)) => {
                entry.response_millis.push(at.as_millis() - request.asked_at.as_millis())
            }
            _ => {}
        }
    }
    let mut answered: HashMap<MemberId, Vec<PastAnswer>> = HashMap::new();
    for answer in past_answers {
        let rating = match answer.helpful {
            Some(true) => Rating::Helpful,
            Some(false) => Rating::NotHelpful,
            None => Rating::Unrated,
        };
        answered.entry(answer.member_id).or_default().push(PastAnswer { embedding: answer.ask_embedding, rating });
    }
    let profiles: HashMap<MemberId, Profile> = profiles.into_iter().map(|p| (p.member_id, p)).collect();

    let asker_profile = profiles.get(&ask.member_id);
    let to_match = AskToMatch {
        asker_id: ask.member_id.to_string(),
        asker_team: asker_profile.and_then(|p| p.team.clone()),
        asker_site: asker_profile.and_then(|p| p.site.clone()),
        embedding,
    };
    let peers = members
        .iter()
        .map(|member| {
            let profile = profiles.get(&member.id).cloned().unwrap_or_else(|| Profile::empty(member.id));
            let mut stats = stats.remove(&member.id).unwrap_or_default();
            Peer {
                member_id: member.id.to_string(),
                team: profile.team.clone(),
                site: profile.site.clone(),
                timezone: profile.timezone.as_deref().and_then(|name| name.parse::<Tz>().ok()),
                quiet_hours: profile.quiet_hours.as_ref().and_then(|(start, end)| quiet_hours(start, end)),
                weekly_budget: profile.weekly_budget,
                requests_this_week: stats.this_week,
                open_requests: stats.open,
                median_response: stats.median_response(),
                expertise: profile.expertise_embedding.clone(),
                answered: answered.remove(&member.id).unwrap_or_default(),
                active: member.active,
            }
        })
        .collect();
    Ok((to_match, peers))
}

/// "HH:MM" pairs as stored; an unreadable one (never written by the API) means no quiet hours.
pub fn quiet_hours(start: &str, end: &str) -> Option<QuietHours> {
    let time = |text: &str| NaiveTime::parse_from_str(text, "%H:%M").ok();
    Some(QuietHours { start: time(start)?, end: time(end)? })
}

#[derive(Default)]
struct RequestStats {
    this_week: u32,
    open: u32,
    response_millis: Vec<i64>,
}

impl RequestStats {
    fn median_response(&mut self) -> Option<TimeDelta> {
        if self.response_millis.is_empty() {
            return None;
        }
        self.response_millis.sort_unstable();
        Some(TimeDelta::milliseconds(self.response_millis[self.response_millis.len() / 2]))
    }
}
