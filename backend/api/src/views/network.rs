//! The JSON shapes of the network half: profiles, the member directory, requests and inboxes,
//! answers, digests and similar asks.

use coagent_store::{Answer, AskRequest, DigestPoint, InboxItem, Member, Profile, StoredDigest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{rfc3339, CardView, MemberView};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuietHoursView {
    /// Local time "HH:MM" when quiet hours start.
    pub start: String,
    /// Local time "HH:MM" when they end (may be the next morning).
    pub end: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ContactView {
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A member's profile, as read and as written by `PUT /me/profile`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProfileView {
    /// A few sentences on what they can help with.
    pub expertise: String,
    pub team: Option<String>,
    pub site: Option<String>,
    /// IANA time zone, e.g. "Europe/Paris".
    pub timezone: Option<String>,
    pub quiet_hours: Option<QuietHoursView>,
    /// Requests per week they accept (0 = none).
    pub weekly_budget: u32,
    #[serde(default)]
    pub contact: ContactView,
}

impl From<&Profile> for ProfileView {
    fn from(profile: &Profile) -> Self {
        ProfileView {
            expertise: profile.expertise.clone(),
            team: profile.team.clone(),
            site: profile.site.clone(),
            timezone: profile.timezone.clone(),
            quiet_hours: profile
                .quiet_hours
                .as_ref()
                .map(|(start, end)| QuietHoursView { start: start.clone(), end: end.clone() }),
            weekly_budget: profile.weekly_budget,
            contact: ContactView { email: profile.email.clone(), phone: profile.phone.clone() },
        }
    }
}

/// `GET /me`: the member and their profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    #[serde(flatten)]
    pub member: MemberView,
    pub profile: ProfileView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryEntry {
    pub id: String,
    pub name: String,
    pub team: Option<String>,
    pub site: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Directory {
    pub members: Vec<DirectoryEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonView {
    pub id: String,
    pub name: String,
}

impl From<&Member> for PersonView {
    fn from(member: &Member) -> Self {
        PersonView { id: member.id.to_string(), name: member.name.clone() }
    }
}

/// A peer asked for an ask, with the matcher's reasons.
#[derive(Debug, Serialize, ToSchema)]
pub struct AskedView {
    pub member_id: String,
    pub name: String,
    pub rank: u32,
    pub wave: u32,
    pub asked_at: String,
    /// `open`, `answered`, `passed` or `referred`.
    pub state: String,
    /// The matcher's scores and a `summary` sentence.
    #[schema(value_type = Object)]
    pub reasons: serde_json::Value,
}

impl AskedView {
    pub fn new(request: &AskRequest, name: &str) -> Self {
        AskedView {
            member_id: request.member_id.to_string(),
            name: name.to_owned(),
            rank: request.rank,
            wave: request.wave,
            asked_at: rfc3339(request.asked_at),
            state: request.state.as_str().to_owned(),
            reasons: request.reasons.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    pub id: String,
    pub author: PersonView,
    pub text: String,
    /// `voice` or `text`.
    pub via: String,
    pub created_at: String,
    /// The asker's rating; null until rated.
    pub helpful: Option<bool>,
    /// How to reach the author directly (from their profile).
    pub contact: ContactView,
}

impl AnswerView {
    pub fn new(answer: &Answer, author: &Member, profile: &Profile) -> Self {
        AnswerView {
            id: answer.id.to_string(),
            author: PersonView::from(author),
            text: answer.text.clone(),
            via: answer.via.as_str().to_owned(),
            created_at: rfc3339(answer.created_at),
            helpful: answer.helpful,
            contact: ContactView { email: profile.email.clone(), phone: profile.phone.clone() },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DigestPointView {
    pub answer_id: String,
    pub author: String,
    pub sentence: String,
    /// `model`, or `extractive` when the model's sentence was not faithful.
    pub source: String,
}

impl From<&DigestPoint> for DigestPointView {
    fn from(point: &DigestPoint) -> Self {
        DigestPointView {
            answer_id: point.answer_id.to_string(),
            author: point.author.clone(),
            sentence: point.sentence.clone(),
            source: point.source.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DigestView {
    /// One line per answer: "Author: point".
    pub text: String,
    pub points: Vec<DigestPointView>,
    pub created_at: String,
}

impl From<&StoredDigest> for DigestView {
    fn from(digest: &StoredDigest) -> Self {
        DigestView {
            text: digest.text(),
            points: digest.points.iter().map(DigestPointView::from).collect(),
            created_at: rfc3339(digest.created_at),
        }
    }
}

/// What a peer asked to help sees of an ask: the card and who asks, not the transcript.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeerAskView {
    pub id: String,
    pub status: String,
    pub card: Option<CardView>,
    pub asker: PersonView,
    /// Whether the original recording can be played (`GET /asks/{id}/audio`).
    pub share_audio: bool,
    pub my_request: MyRequestView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyRequestView {
    pub state: String,
    pub asked_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxItemView {
    pub ask_id: String,
    pub title: String,
    pub asker: PersonView,
    pub asked_at: String,
    pub state: String,
}

impl From<&InboxItem> for InboxItemView {
    fn from(item: &InboxItem) -> Self {
        InboxItemView {
            ask_id: item.request.ask_id.to_string(),
            title: item.title.clone(),
            asker: PersonView { id: item.asker_id.to_string(), name: item.asker_name.clone() },
            asked_at: rfc3339(item.request.asked_at),
            state: item.request.state.as_str().to_owned(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    pub requests: Vec<InboxItemView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BestAnswerView {
    pub author: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarAskView {
    pub ask_id: String,
    pub title: String,
    pub similarity: f32,
    pub best_answer: Option<BestAnswerView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarAsks {
    pub similar: Vec<SimilarAskView>,
}
