//! Small members and asks for the unit tests: two-dimensional embeddings whose cosine with the
//! ask is chosen directly.

use chrono::{DateTime, Utc};

use crate::peer::{AskToMatch, Peer};

/// The asker is in team "ops" at site "lyon"; the card points along the first axis.
pub(crate) fn ask() -> AskToMatch {
    AskToMatch {
        asker_id: "asker".to_owned(),
        asker_team: Some("ops".to_owned()),
        asker_site: Some("lyon".to_owned()),
        embedding: vec![1.0, 0.0],
    }
}

/// A unit vector whose cosine with the card of [`ask`] is `similarity`.
pub(crate) fn close(similarity: f32) -> Vec<f32> {
    vec![similarity, (1.0 - similarity * similarity).max(0.0).sqrt()]
}

/// An active member in the asker's team and site, with room in their budget and no history.
pub(crate) fn peer(member_id: &str, expertise: &[f32]) -> Peer {
    Peer {
        member_id: member_id.to_owned(),
        team: Some("ops".to_owned()),
        site: Some("lyon".to_owned()),
        timezone: None,
        quiet_hours: None,
        weekly_budget: 5,
        requests_this_week: 0,
        open_requests: 0,
        median_response: None,
        expertise: Some(expertise.to_vec()),
        answered: Vec::new(),
        active: true,
    }
}

pub(crate) fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("a valid RFC 3339 time").with_timezone(&Utc)
}

pub(crate) fn noon() -> DateTime<Utc> {
    at("2025-07-01T12:00:00Z")
}
