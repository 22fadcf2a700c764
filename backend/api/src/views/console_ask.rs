//! The JSON shapes of the concierge's ask page: everything about one ask (transcript timed
//! against its audio, who was asked and why, answers, the digest as curated) and the matcher's
//! whole ranking for it.

use coagent_store::Segment;
use serde::Serialize;
use utoipa::ToSchema;

use super::PersonView;

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsoleAskView {
    pub id: String,
    /// `draft`, `routed`, `waiting`, `answered` or `closed` (as in the queue).
    pub state: String,
    /// `draft`, `confirmed`, `routed`, `answered` or `closed`.
    pub status: String,
    /// On hold: no new wave is asked and no digest is pushed.
    pub paused: bool,
    pub paused_at: Option<String>,
    pub asker: AskerView,
    pub created_at: String,
    pub share_audio: bool,
    pub transcript: String,
    /// The transcript timed against the recording; empty for typed text.
    pub segments: Vec<SegmentView>,
    /// The original recording; null for typed text.
    pub audio: Option<AudioView>,
    pub card: Option<ConsoleCardView>,
    /// Whether the asker changed the proposed card when confirming.
    pub card_edited_by_asker: bool,
    /// The last time a concierge changed the card.
    pub concierge_edited_at: Option<String>,
    pub asked: Vec<ConsoleAskedView>,
    pub answers: Vec<ConsoleAnswerView>,
    /// Null until the answers are condensed.
    pub digest: Option<ConsoleDigestView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AskerView {
    pub id: String,
    pub name: String,
    pub team: Option<String>,
    pub site: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentView {
    /// From the start of the recording.
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
}

impl SegmentView {
    pub fn list(segments: Option<&[Segment]>) -> Vec<SegmentView> {
        segments
            .unwrap_or_default()
            .iter()
            .map(|segment| SegmentView {
                start_ms: segment.start_ms,
                end_ms: segment.end_ms,
                text: segment.text.clone(),
            })
            .collect()
    }
}

/// A recording the concierge can play.
#[derive(Debug, Serialize, ToSchema)]
pub struct AudioView {
    /// GET it for a WAV file.
    pub url: String,
    /// False once the file is gone (deleted after the retention period); the transcript stays.
    pub available: bool,
    pub deleted_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsoleCardView {
    pub title: String,
    pub summary: String,
    pub help_needed: String,
    pub tags: Vec<String>,
    /// `model` or `extractive`.
    pub source: String,
}

/// A peer asked, with why and what became of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsoleAskedView {
    pub member_id: String,
    pub name: String,
    pub wave: u32,
    pub rank: u32,
    /// `open`, `answered`, `passed` or `referred`.
    pub state: String,
    /// The matcher's scores and a `summary` sentence (`added_by_concierge` when added by hand).
    #[schema(value_type = Object)]
    pub reasons: serde_json::Value,
    /// The concierge who asked this peer by hand.
    pub added_by: Option<PersonView>,
    /// The colleague who referred this peer.
    pub referred_by: Option<PersonView>,
    /// Taken back by a concierge: gone from the peer's inbox, takes no answer.
    pub withdrawn: bool,
    pub asked_at: String,
    pub responded_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsoleAnswerView {
    pub id: String,
    pub member: PersonView,
    pub text: String,
    /// `voice` or `text`.
    pub via: String,
    /// A voice answer's text timed against its recording; empty when typed.
    pub segments: Vec<SegmentView>,
    /// A voice answer's recording; null when typed.
    pub audio: Option<AudioView>,
    /// The asker's rating; null until rated.
    pub helpful: Option<bool>,
    /// Left out of the digest by a concierge.
    pub left_out: bool,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsoleDigestView {
    pub points: Vec<super::DigestPointView>,
    /// One line per point: "Author: point".
    pub text: String,
    pub answer_count: u32,
    pub curated_by: Option<PersonView>,
    pub curated_at: Option<String>,
    /// The last time the asker was notified of it.
    pub sent_at: Option<String>,
}

/// `GET /console/asks/{id}/ranking`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankingView {
    pub candidates: Vec<CandidateView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub member_id: String,
    pub name: String,
    /// 1 = best; members who may not be asked now come last.
    pub rank: u32,
    /// relevance × availability × bridging; 0 for members who may not be asked now.
    pub score: f32,
    /// The matcher's reasons, or `{"summary", "exclusion"}` for members who may not be asked now.
    #[schema(value_type = Object)]
    pub reasons: serde_json::Value,
    /// Already asked for this ask (a concierge cannot ask them again).
    pub asked: bool,
    /// Whether the matcher would ask them now.
    pub eligible: bool,
}
