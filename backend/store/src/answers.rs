//! Answers: what a peer said (typed or dictated) for an ask, and the asker's rating of it.
//! Only a peer who was asked may answer, once per ask; answering closes their request.

use coagent_domain::Segment;
use tracing::instrument;

use crate::asks::{segments_from_db, segments_to_db};
use crate::db::{with_pool, BeginWrite as _};
use crate::embedding::embedding_from_db;
use crate::labels::text_enum;
use crate::{AnswerId, AskId, MemberId, RecordingId, Store, StoreError, Timestamp};

text_enum!(
    /// How an answer was given.
    AnswerVia {
        Voice = "voice",
        Text = "text",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Answer {
    pub id: AnswerId,
    pub ask_id: AskId,
    /// The peer who answered.
    pub member_id: MemberId,
    pub text: String,
    pub via: AnswerVia,
    /// The live dictation, for answers spoken live (an uploaded file has none).
    pub recording_id: Option<RecordingId>,
    /// The asker's rating; `None` until rated.
    pub helpful: Option<bool>,
    /// Where each stretch of a voice answer's text lies in its recording; `None` when typed.
    pub segments: Option<Vec<Segment>>,
    /// A concierge left it out of the digest (the asker still sees the answer itself).
    pub left_out: bool,
    pub created_at: Timestamp,
}

/// An answer about to be stored.
#[derive(Debug, Clone, Copy)]
pub struct NewAnswer<'a> {
    pub ask_id: AskId,
    pub member_id: MemberId,
    pub text: &'a str,
    pub via: AnswerVia,
    /// The recording it was spoken into (live, or an uploaded file kept as one).
    pub recording_id: Option<RecordingId>,
    pub segments: Option<&'a [Segment]>,
}

/// An answer a peer gave before, as matching weighs it: the ask's embedding and the rating.
#[derive(Debug, Clone, PartialEq)]
pub struct PastAnswer {
    pub member_id: MemberId,
    pub ask_embedding: Vec<f32>,
    pub helpful: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    id: String,
    ask_id: String,
    member_id: String,
    text: String,
    via: String,
    recording_id: Option<String>,
    helpful: Option<bool>,
    transcript_segments: Option<String>,
    left_out: bool,
    created_at: i64,
}

macro_rules! answer_columns {
    () => {
        "id, ask_id, member_id, text, via, recording_id, helpful, transcript_segments, left_out, created_at"
    };
}

impl Store {
    /// Stores a peer's answer and marks their request answered, in one transaction. A member
    /// who was not asked gets `NotFound`; a second answer from the same peer, or one to a
    /// request the concierge withdrew, is a `Conflict`.
    pub async fn add_answer(
        &self,
        ask_id: AskId,
        member_id: MemberId,
        text: &str,
        via: AnswerVia,
        recording_id: Option<RecordingId>,
        now: Timestamp,
    ) -> Result<Answer, StoreError> {
        let answer = NewAnswer { ask_id, member_id, text, via, recording_id, segments: None };
        self.add_answer_with_segments(&answer, now).await
    }

    /// `add_answer` for a voice answer whose text is timed against its recording.
    #[instrument(skip(self, answer), fields(ask = %answer.ask_id, text_len = answer.text.len()), err(level = "debug"))]
    pub async fn add_answer_with_segments(&self, answer: &NewAnswer<'_>, now: Timestamp) -> Result<Answer, StoreError> {
        const INSERT: &str = concat!(
            "INSERT INTO answers (id, ask_id, member_id, text, via, recording_id, transcript_segments, created_at) ",
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
            answer_columns!()
        );
        const MARK: &str = "UPDATE ask_requests SET state = 'answered', responded_at = $3 \
                            WHERE ask_id = $1 AND member_id = $2 AND withdrawn_at IS NULL";
        let segments = answer.segments.map(segments_to_db).transpose()?;
        let stored: Option<Answer> = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let marked = sqlx::query(MARK)
                .bind(answer.ask_id.to_db())
                .bind(answer.member_id.to_db())
                .bind(now.as_millis())
                .execute(&mut *tx)
                .await?;
            if marked.rows_affected() == 0 {
                None // not asked, or withdrawn: said below, outside the transaction
            } else {
                let row: AnswerRow = sqlx::query_as(INSERT)
                    .bind(AnswerId::random().to_db())
                    .bind(answer.ask_id.to_db())
                    .bind(answer.member_id.to_db())
                    .bind(answer.text)
                    .bind(answer.via.as_str())
                    .bind(answer.recording_id.map(RecordingId::to_db))
                    .bind(segments)
                    .bind(now.as_millis())
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Some(row.try_into()?)
            }
        });
        match stored {
            Some(answer) => Ok(answer),
            // Not asked: the ask is not theirs to see. Withdrawn: they should be told.
            None => match self.get_request(answer.ask_id, answer.member_id).await {
                Ok(request) if request.withdrawn_at.is_some() => {
                    Err(StoreError::Conflict("the concierge withdrew this request".into()))
                }
                _ => Err(StoreError::NotFound),
            },
        }
    }

    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_answer(&self, id: AnswerId) -> Result<Answer, StoreError> {
        const SQL: &str = concat!("SELECT ", answer_columns!(), " FROM answers WHERE id = $1");
        let row: AnswerRow = with_pool!(self, pool => sqlx::query_as(SQL).bind(id.to_db()).fetch_one(pool).await?);
        row.try_into()
    }

    /// An ask's answers, first given first.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn answers_for(&self, ask_id: AskId) -> Result<Vec<Answer>, StoreError> {
        const SQL: &str =
            concat!("SELECT ", answer_columns!(), " FROM answers WHERE ask_id = $1 ORDER BY created_at, id");
        let rows: Vec<AnswerRow> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(ask_id.to_db()).fetch_all(pool).await?);
        rows.into_iter().map(Answer::try_from).collect()
    }

    /// The asker rates an answer to their ask; anyone else gets `NotFound`.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn rate_answer(
        &self,
        asker: MemberId,
        ask_id: AskId,
        answer_id: AnswerId,
        helpful: bool,
    ) -> Result<Answer, StoreError> {
        const SQL: &str = concat!(
            "UPDATE answers SET helpful = $4 WHERE id = $1 AND ask_id = $2 ",
            "AND ask_id IN (SELECT id FROM asks WHERE member_id = $3) RETURNING ",
            answer_columns!()
        );
        let row: AnswerRow = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(answer_id.to_db())
                .bind(ask_id.to_db())
                .bind(asker.to_db())
                .bind(helpful)
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    /// Every answer given to an ask that has an embedding: what each peer helped with before.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn past_answers(&self) -> Result<Vec<PastAnswer>, StoreError> {
        const SQL: &str = "SELECT an.member_id, a.embedding, an.helpful FROM answers an \
                           JOIN asks a ON a.id = an.ask_id WHERE a.embedding IS NOT NULL \
                           ORDER BY an.created_at, an.id";
        let rows: Vec<(String, String, Option<bool>)> =
            with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(member_id, embedding, helpful)| {
                Ok(PastAnswer {
                    member_id: MemberId::from_db(&member_id)?,
                    ask_embedding: embedding_from_db(&embedding)?,
                    helpful,
                })
            })
            .collect()
    }
}

impl TryFrom<AnswerRow> for Answer {
    type Error = StoreError;

    fn try_from(row: AnswerRow) -> Result<Answer, StoreError> {
        Ok(Answer {
            id: AnswerId::from_db(&row.id)?,
            ask_id: AskId::from_db(&row.ask_id)?,
            member_id: MemberId::from_db(&row.member_id)?,
            text: row.text,
            via: AnswerVia::from_db(&row.via)?,
            recording_id: row.recording_id.as_deref().map(RecordingId::from_db).transpose()?,
            helpful: row.helpful,
            segments: row
                .transcript_segments
                .as_deref()
                .map(|text| segments_from_db(text, &format!("answer {}", row.id)))
                .transpose()?,
            left_out: row.left_out,
            created_at: Timestamp::from_millis(row.created_at),
        })
    }
}
