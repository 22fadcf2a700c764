//! Asks: a member's problem, from draft (transcript and proposed card) through confirmation
//! to routing, answers and closing. Drafts are private to their asker.

mod status;
mod steering;

pub use status::AskStatus;

use coagent_domain::{CardSource, ProblemCard, Segment};
use tracing::instrument;

use crate::db::with_pool;
use crate::embedding::{embedding_from_db, embedding_to_db};
use crate::{AskId, MemberId, RecordingId, Store, StoreError, Timestamp};

/// A card together with how it came about.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AskCard {
    #[serde(flatten)]
    pub card: ProblemCard,
    pub source: CardSource,
    /// Whether the asker changed it when confirming: how often they must is a quality signal.
    pub edited: bool,
}

/// The asker's corrections sent with "confirm"; `None` keeps the proposed value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardEdits {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub help_needed: Option<String>,
    pub tags: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Ask {
    pub id: AskId,
    /// The asker.
    pub member_id: MemberId,
    pub status: AskStatus,
    pub transcript: String,
    /// Absent until the summarizer (or its extractive fallback) has run.
    pub card: Option<AskCard>,
    /// The dictation it came from, if it was spoken.
    pub recording_id: Option<RecordingId>,
    /// Whether the peers asked may hear the original audio (the concierge always may).
    pub share_audio: bool,
    /// Where each stretch of the transcript lies in the recording, for a player that follows
    /// along; `None` for typed text.
    pub segments: Option<Vec<Segment>>,
    /// Set while a concierge holds the ask: no new wave is asked and no digest is pushed.
    pub paused_at: Option<Timestamp>,
    /// The last time a concierge changed the card (the asker is shown that it was edited).
    pub concierge_edited_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct AskRow {
    id: String,
    member_id: String,
    status: String,
    transcript: String,
    title: Option<String>,
    summary: Option<String>,
    help_needed: Option<String>,
    tags: Option<String>,
    card_source: Option<String>,
    card_edited: bool,
    recording_id: Option<String>,
    share_audio: bool,
    transcript_segments: Option<String>,
    paused_at: Option<i64>,
    concierge_edited_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

macro_rules! ask_columns {
    () => {
        "id, member_id, status, transcript, title, summary, help_needed, tags, card_source, card_edited, \
         recording_id, share_audio, transcript_segments, paused_at, concierge_edited_at, created_at, updated_at"
    };
}
use ask_columns;

impl Store {
    /// Starts an ask from a transcript, as a draft visible only to its asker.
    pub async fn create_draft(
        &self,
        member_id: MemberId,
        transcript: &str,
        recording_id: Option<RecordingId>,
    ) -> Result<Ask, StoreError> {
        self.create_draft_with_segments(member_id, transcript, recording_id, None).await
    }

    /// `create_draft` for a spoken ask: `segments` time the transcript within the recording.
    #[instrument(skip(self, transcript, segments), fields(transcript_len = transcript.len()), err(level = "debug"))]
    pub async fn create_draft_with_segments(
        &self,
        member_id: MemberId,
        transcript: &str,
        recording_id: Option<RecordingId>,
        segments: Option<&[Segment]>,
    ) -> Result<Ask, StoreError> {
        const SQL: &str = concat!(
            "INSERT INTO asks (id, member_id, status, transcript, recording_id, transcript_segments, ",
            "created_at, updated_at) VALUES ($1, $2, 'draft', $3, $4, $5, $6, $6) RETURNING ",
            ask_columns!()
        );
        let row: AskRow = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(AskId::random().to_db())
                .bind(member_id.to_db())
                .bind(transcript)
                .bind(recording_id.map(RecordingId::to_db))
                .bind(segments.map(segments_to_db).transpose()?)
                .bind(Timestamp::now().as_millis())
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    /// Any ask, whoever asked it (workers, the concierge). Members go through `get_own_ask`.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_ask(&self, id: AskId) -> Result<Ask, StoreError> {
        const SQL: &str = concat!("SELECT ", ask_columns!(), " FROM asks WHERE id = $1");
        let row: AskRow = with_pool!(self, pool => sqlx::query_as(SQL).bind(id.to_db()).fetch_one(pool).await?);
        row.try_into()
    }

    /// An ask as its asker may see it; someone else's ask is `NotFound`, not "forbidden", so
    /// ids cannot be probed.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_own_ask(&self, member_id: MemberId, id: AskId) -> Result<Ask, StoreError> {
        let ask = self.get_ask(id).await?;
        if ask.member_id != member_id {
            return Err(StoreError::NotFound);
        }
        Ok(ask)
    }

    /// A member's own asks, drafts included, newest first.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn list_asks_for(&self, member_id: MemberId) -> Result<Vec<Ask>, StoreError> {
        const SQL: &str =
            concat!("SELECT ", ask_columns!(), " FROM asks WHERE member_id = $1 ORDER BY created_at DESC, id");
        let rows: Vec<AskRow> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(member_id.to_db()).fetch_all(pool).await?);
        rows.into_iter().map(Ask::try_from).collect()
    }

    /// Replaces a draft's proposed card (the summarizer's output). Confirmed asks keep the
    /// card their asker approved.
    #[instrument(skip(self, card), err(level = "debug"))]
    pub async fn update_card(&self, id: AskId, card: &ProblemCard, source: CardSource) -> Result<Ask, StoreError> {
        const SQL: &str = concat!(
            "UPDATE asks SET title = $2, summary = $3, help_needed = $4, tags = $5, card_source = $6, ",
            "card_edited = FALSE, updated_at = $7 WHERE id = $1 AND status = 'draft' RETURNING ",
            ask_columns!()
        );
        let row: Option<AskRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(id.to_db())
                .bind(&card.title)
                .bind(&card.summary)
                .bind(&card.help_needed)
                .bind(tags_to_db(&card.tags))
                .bind(card_source_to_db(source))
                .bind(Timestamp::now().as_millis())
                .fetch_optional(pool)
                .await?
        });
        match row {
            Some(row) => row.try_into(),
            None => Err(StoreError::AskNotDraft(self.get_ask(id).await?.status)),
        }
    }

    /// The asker approves their draft, with optional corrections, in one atomic step: a
    /// summarizer writing a new card at the same moment cannot slip in between.
    #[instrument(skip(self, edits), err(level = "debug"))]
    pub async fn confirm(
        &self,
        member_id: MemberId,
        id: AskId,
        edits: CardEdits,
        share_audio: bool,
    ) -> Result<Ask, StoreError> {
        // Unchanged edits (same text as proposed) do not count as editing.
        const SQL: &str = concat!(
            "UPDATE asks SET status = 'confirmed', ",
            "title = COALESCE($3, title), summary = COALESCE($4, summary), ",
            "help_needed = COALESCE($5, help_needed), tags = COALESCE($6, tags), ",
            "card_edited = card_edited OR COALESCE($3 <> title, FALSE) OR COALESCE($4 <> summary, FALSE) ",
            "OR COALESCE($5 <> help_needed, FALSE) OR COALESCE($6 <> tags, FALSE), ",
            "share_audio = $8, updated_at = $7 ",
            "WHERE id = $1 AND member_id = $2 AND status = 'draft' AND card_source IS NOT NULL RETURNING ",
            ask_columns!()
        );
        let row: Option<AskRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(id.to_db())
                .bind(member_id.to_db())
                .bind(edits.title.as_deref())
                .bind(edits.summary.as_deref())
                .bind(edits.help_needed.as_deref())
                .bind(edits.tags.as_deref().map(tags_to_db))
                .bind(Timestamp::now().as_millis())
                .bind(share_audio)
                .fetch_optional(pool)
                .await?
        });
        if let Some(row) = row {
            return row.try_into();
        }
        // Nothing matched: say why.
        let ask = self.get_own_ask(member_id, id).await?;
        if ask.status != AskStatus::Draft {
            return Err(StoreError::InvalidTransition { from: ask.status, to: AskStatus::Confirmed });
        }
        Err(StoreError::AskHasNoCard)
    }

    /// Moves a confirmed ask along (routed, answered, closed), refusing any other move.
    /// Confirming is `confirm`'s job alone: it checks the asker and the card.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn advance_ask(&self, id: AskId, to: AskStatus) -> Result<Ask, StoreError> {
        const SQL: &str = concat!(
            "UPDATE asks SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2 RETURNING ",
            ask_columns!()
        );
        let from = self.get_ask(id).await?.status;
        if !from.can_become(to) || to == AskStatus::Confirmed {
            return Err(StoreError::InvalidTransition { from, to });
        }
        let row: Option<AskRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(id.to_db())
                .bind(from.as_str())
                .bind(to.as_str())
                .bind(Timestamp::now().as_millis())
                .fetch_optional(pool)
                .await?
        });
        match row {
            Some(row) => row.try_into(),
            // Someone moved it first; report the move as it now stands.
            None => Err(StoreError::InvalidTransition { from: self.get_ask(id).await?.status, to }),
        }
    }
}

/// An ask that has an embedding (confirmed ones): what "similar earlier asks" search.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedAsk {
    pub id: AskId,
    pub member_id: MemberId,
    pub title: String,
    pub embedding: Vec<f32>,
}

impl Store {
    /// Keeps the confirmed card's embedding, for matching and for similar-ask search.
    #[instrument(skip(self, embedding), err(level = "debug"))]
    pub async fn set_ask_embedding(&self, id: AskId, embedding: &[f32]) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE asks SET embedding = $2 WHERE id = $1";
        let updated = with_pool!(self, pool => {
            sqlx::query(SQL).bind(id.to_db()).bind(embedding_to_db(embedding)).execute(pool).await?.rows_affected()
        });
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    #[instrument(skip(self), err(level = "debug"))]
    pub async fn ask_embedding(&self, id: AskId) -> Result<Option<Vec<f32>>, StoreError> {
        const SQL: &str = "SELECT embedding FROM asks WHERE id = $1";
        let text: Option<String> =
            with_pool!(self, pool => sqlx::query_scalar(SQL).bind(id.to_db()).fetch_one(pool).await?);
        text.as_deref().map(embedding_from_db).transpose()
    }

    /// Every ask past draft that has an embedding, newest first.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn embedded_asks(&self) -> Result<Vec<EmbeddedAsk>, StoreError> {
        const SQL: &str = "SELECT id, member_id, title, embedding FROM asks \
                           WHERE embedding IS NOT NULL AND title IS NOT NULL AND status <> 'draft' \
                           ORDER BY created_at DESC, id";
        let rows: Vec<(String, String, String, String)> =
            with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(id, member_id, title, embedding)| {
                Ok(EmbeddedAsk {
                    id: AskId::from_db(&id)?,
                    member_id: MemberId::from_db(&member_id)?,
                    title,
                    embedding: embedding_from_db(&embedding)?,
                })
            })
            .collect()
    }
}

/// Transcript segments as stored: a JSON array of `{"start_ms", "end_ms", "text"}`.
pub(crate) fn segments_to_db(segments: &[Segment]) -> Result<String, StoreError> {
    serde_json::to_string(segments).map_err(|error| StoreError::Invalid(error.to_string()))
}

pub(crate) fn segments_from_db(text: &str, whose: &str) -> Result<Vec<Segment>, StoreError> {
    serde_json::from_str(text).map_err(|_| StoreError::Corrupt(format!("{whose} has malformed transcript segments")))
}

fn tags_to_db(tags: &[String]) -> String {
    serde_json::Value::from(tags).to_string()
}

fn card_source_to_db(source: CardSource) -> &'static str {
    match source {
        CardSource::Model => "model",
        CardSource::Extractive => "extractive",
    }
}

fn card_source_from_db(text: &str) -> Result<CardSource, StoreError> {
    match text {
        "model" => Ok(CardSource::Model),
        "extractive" => Ok(CardSource::Extractive),
        other => Err(StoreError::Corrupt(format!("unknown card source {other:?}"))),
    }
}

impl TryFrom<AskRow> for Ask {
    type Error = StoreError;

    fn try_from(row: AskRow) -> Result<Ask, StoreError> {
        let card = match (row.title, row.summary, row.help_needed, row.tags, row.card_source) {
            (Some(title), Some(summary), Some(help_needed), Some(tags), Some(source)) => Some(AskCard {
                card: ProblemCard {
                    title,
                    summary,
                    help_needed,
                    tags: serde_json::from_str(&tags)
                        .map_err(|_| StoreError::Corrupt(format!("ask {} has malformed tags", row.id)))?,
                },
                source: card_source_from_db(&source)?,
                edited: row.card_edited,
            }),
            (None, None, None, None, None) => None,
            _ => return Err(StoreError::Corrupt(format!("ask {} has a partial card", row.id))),
        };
        Ok(Ask {
            id: AskId::from_db(&row.id)?,
            member_id: MemberId::from_db(&row.member_id)?,
            status: AskStatus::from_db(&row.status)?,
            transcript: row.transcript,
            card,
            recording_id: row.recording_id.as_deref().map(RecordingId::from_db).transpose()?,
            share_audio: row.share_audio,
            segments: row
                .transcript_segments
                .as_deref()
                .map(|text| segments_from_db(text, &format!("ask {}", row.id)))
                .transpose()?,
            paused_at: row.paused_at.map(Timestamp::from_millis),
            concierge_edited_at: row.concierge_edited_at.map(Timestamp::from_millis),
            created_at: Timestamp::from_millis(row.created_at),
            updated_at: Timestamp::from_millis(row.updated_at),
        })
    }
}
