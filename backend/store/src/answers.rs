//! Answers: what a peer said (typed or dictated) for an ask, and the asker's rating of it.
//! Only a peer who was asked may answer, once per ask; answering closes their request.

use tracing::instrument;

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
    pub created_at: Timestamp,
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
    created_at: i64,
}

macro_rules! answer_columns {
    () => {
        "id, ask_id, member_id, text, via, recording_id, helpful, created_at"
    };
}

impl Store {
    /// Stores a peer's answer and marks their request answered, in one transaction. A member
    /// who was not asked gets `NotFound`; a second answer from the same peer is a `Conflict`.
    #[instrument(skip(self, text), fields(text_len = text.len()), err(level = "debug"))]
    pub async fn add_answer(
        &self,
        ask_id: AskId,
        member_id: MemberId,
        text: &str,
        via: AnswerVia,
        recording_id: Option<RecordingId>,
        now: Timestamp,
    ) -> Result<Answer, StoreError> {
        const INSERT: &str = concat!(
            "INSERT INTO answers (",
            answer_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, NULL, $7) RETURNING ",
            answer_columns!()
        );
        const MARK: &str = "UPDATE ask_requests SET state = 'answered', responded_at = $3 \
                            WHERE ask_id = $1 AND member_id = $2";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let marked = sqlx::query(MARK)
                .bind(ask_id.to_db())
                .bind(member_id.to_db())
                .bind(now.as_millis())
                .execute(&mut *tx)
                .await?;
            if marked.rows_affected() == 0 {
                return Err(StoreError::NotFound); // not asked: the ask is not theirs to see
            }
            let row: AnswerRow = sqlx::query_as(INSERT)
                .bind(AnswerId::random().to_db())
                .bind(ask_id.to_db())
                .bind(member_id.to_db())
                .bind(text)
                .bind(via.as_str())
                .bind(recording_id.map(RecordingId::to_db))
                .bind(now.as_millis())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            row.try_into()
        })
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
            created_at: Timestamp::from_millis(row.created_at),
        })
    }
}
