//! The JSON shapes the API returns, kept apart from the store's types so the contract with
//! the PWA changes only on purpose (and appears in the OpenAPI document).

mod console_ask;
mod network;

pub use console_ask::*;
pub use network::*;

use coagent_store::{Ask, Member, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    /// `manager` or `concierge`.
    pub role: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

impl From<&Member> for MemberView {
    fn from(member: &Member) -> Self {
        MemberView {
            id: member.id.to_string(),
            name: member.name.clone(),
            role: member.role.as_str().to_owned(),
            created_at: rfc3339(member.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CardView {
    pub title: String,
    pub summary: String,
    pub help_needed: String,
    pub tags: Vec<String>,
    /// `model` or `extractive` (the fallback when the model's card was not faithful).
    pub source: String,
    /// Whether the asker changed the proposed card when confirming.
    pub edited: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AskView {
    pub id: String,
    /// Whether the peers asked may hear the original recording.
    pub share_audio: bool,
    /// `draft`, `confirmed`, `routed`, `answered` or `closed`.
    pub status: String,
    /// Absent (null) until the card is written.
    pub card: Option<CardView>,
    /// Whether a concierge has changed the card since (the asker is shown that it was edited).
    pub edited_by_concierge: bool,
    pub transcript: String,
    pub recording_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Who was asked and why (on `GET /asks/{id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asked: Option<Vec<AskedView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<AnswerView>>,
    /// On `GET /asks/{id}`: null until the answers are condensed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<Option<DigestView>>,
}

impl From<&Ask> for AskView {
    fn from(ask: &Ask) -> Self {
        AskView {
            id: ask.id.to_string(),
            share_audio: ask.share_audio,
            status: ask.status.as_str().to_owned(),
            card: ask.card.as_ref().map(|card| CardView {
                title: card.card.title.clone(),
                summary: card.card.summary.clone(),
                help_needed: card.card.help_needed.clone(),
                tags: card.card.tags.clone(),
                source: serde_json::to_value(card.source)
                    .ok()
                    .and_then(|value| value.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                edited: card.edited,
            }),
            edited_by_concierge: ask.concierge_edited_at.is_some(),
            transcript: ask.transcript.clone(),
            recording_id: ask.recording_id.map(|id| id.to_string()),
            created_at: rfc3339(ask.created_at),
            updated_at: rfc3339(ask.updated_at),
            asked: None,
            answers: None,
            digest: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AskList {
    pub asks: Vec<AskView>,
}

/// Formats a timestamp as RFC 3339 in UTC (`2025-01-31T12:00:00.000Z`), using the civil-from-days
/// algorithm (H. Hinnant) rather than pulling in a date library for one format.
pub fn rfc3339(at: Timestamp) -> String {
    let millis = at.as_millis();
    let (days, ms_of_day) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (hour, minute) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60);
    let (second, milli) = (ms_of_day / 1000 % 60, ms_of_day % 1000);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_a_leap_day_format_as_rfc3339() {
        assert_eq!(rfc3339(Timestamp::from_millis(0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(Timestamp::from_millis(1_709_210_096_789)), "2024-02-29T12:34:56.789Z");
    }
}
