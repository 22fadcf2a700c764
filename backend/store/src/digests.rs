//! Digests: the condensed answers returned to the asker, one attributed point per answer.
//! Grown as answers arrive; a concierge may curate it (rewrite sentences, leave answers out),
//! and `sent_at` says when the asker was last notified of it.

use tracing::instrument;

use crate::db::{with_pool, BeginWrite as _};
use crate::{AnswerId, AskId, MemberId, Store, StoreError, Timestamp};

/// One answer's point, attributed to its author by code, never by the model.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DigestPoint {
    pub answer_id: AnswerId,
    pub author: String,
    pub sentence: String,
    /// `model`, `extractive` when the model's sentence was not faithful to the answer, or
    /// `concierge` when a concierge rewrote it.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredDigest {
    pub ask_id: AskId,
    pub points: Vec<DigestPoint>,
    /// How many answers it has a point for.
    pub answer_count: u32,
    /// When this version was saved.
    pub created_at: Timestamp,
    /// The concierge who last curated it, and when.
    pub curated_by: Option<MemberId>,
    pub curated_at: Option<Timestamp>,
    /// When the asker was last notified of it.
    pub sent_at: Option<Timestamp>,
}

impl StoredDigest {
    /// One line per answer: "Author: point".
    pub fn text(&self) -> String {
        let lines: Vec<String> =
            self.points.iter().map(|point| format!("{}: {}", point.author, point.sentence)).collect();
        lines.join("\n")
    }

    /// Whether the asker has not been notified of this version yet.
    pub fn is_unsent(&self) -> bool {
        self.sent_at.is_none_or(|sent| sent < self.created_at)
    }
}

type DigestRow = (String, i64, i64, Option<String>, Option<i64>, Option<i64>);

const DIGEST_COLUMNS: &str = "points, answer_count, created_at, curated_by, curated_at, sent_at";

impl Store {
    /// Stores (or replaces) an ask's points; who curated it and when it was sent are kept.
    #[instrument(skip(self, points), fields(points = points.len()), err(level = "debug"))]
    pub async fn save_digest(
        &self,
        ask_id: AskId,
        points: &[DigestPoint],
        now: Timestamp,
    ) -> Result<StoredDigest, StoreError> {
        const SQL: &str = "INSERT INTO digests (ask_id, points, answer_count, created_at) VALUES ($1, $2, $3, $4) \
                           ON CONFLICT (ask_id) DO UPDATE SET points = excluded.points, \
                           answer_count = excluded.answer_count, created_at = excluded.created_at \
                           RETURNING points, answer_count, created_at, curated_by, curated_at, sent_at";
        let (json, count) = points_to_db(points)?;
        let row: DigestRow = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(ask_id.to_db()).bind(json).bind(count).bind(now.as_millis()).fetch_one(pool).await?
        });
        digest_from_row(ask_id, row)
    }

    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_digest(&self, ask_id: AskId) -> Result<Option<StoredDigest>, StoreError> {
        let sql = format!("SELECT {DIGEST_COLUMNS} FROM digests WHERE ask_id = $1");
        let row: Option<DigestRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(ask_id.to_db()).fetch_optional(pool).await?);
        row.map(|row| digest_from_row(ask_id, row)).transpose()
    }

    /// A concierge's version of the digest, in one transaction: exactly the answers in
    /// `left_out` are left out (an id that is not an answer to this ask is `NotFound`), and
    /// `points` replace the stored ones. It is not sent; `sent_at` is kept.
    #[instrument(skip(self, points, left_out), fields(points = points.len(), left_out = left_out.len()), err(level = "debug"))]
    pub async fn curate_digest(
        &self,
        ask_id: AskId,
        points: &[DigestPoint],
        left_out: &[AnswerId],
        curator: MemberId,
        now: Timestamp,
    ) -> Result<StoredDigest, StoreError> {
        const KEEP_ALL: &str = "UPDATE answers SET left_out = FALSE WHERE ask_id = $1";
        const LEAVE_OUT: &str = "UPDATE answers SET left_out = TRUE WHERE ask_id = $1 AND id = $2";
        const SAVE: &str = "INSERT INTO digests (ask_id, points, answer_count, created_at, curated_by, curated_at) \
                            VALUES ($1, $2, $3, $4, $5, $4) ON CONFLICT (ask_id) DO UPDATE SET \
                            points = excluded.points, answer_count = excluded.answer_count, \
                            created_at = excluded.created_at, curated_by = excluded.curated_by, \
                            curated_at = excluded.curated_at \
                            RETURNING points, answer_count, created_at, curated_by, curated_at, sent_at";
        let (json, count) = points_to_db(points)?;
        let row: DigestRow = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(KEEP_ALL).bind(ask_id.to_db()).execute(&mut *tx).await?;
            for answer_id in left_out {
                let marked = sqlx::query(LEAVE_OUT).bind(ask_id.to_db()).bind(answer_id.to_db()).execute(&mut *tx).await?;
                if marked.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
            }
            let row = sqlx::query_as(SAVE)
                .bind(ask_id.to_db())
                .bind(json)
                .bind(count)
                .bind(now.as_millis())
                .bind(curator.to_db())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            row
        });
        digest_from_row(ask_id, row)
    }

    /// Records that the asker was notified of the digest now; `NotFound` when there is none.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn mark_digest_sent(&self, ask_id: AskId, now: Timestamp) -> Result<StoredDigest, StoreError> {
        let sql = format!("UPDATE digests SET sent_at = $2 WHERE ask_id = $1 RETURNING {DIGEST_COLUMNS}");
        let row: DigestRow = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(ask_id.to_db()).bind(now.as_millis()).fetch_one(pool).await?
        });
        digest_from_row(ask_id, row)
    }
}

fn points_to_db(points: &[DigestPoint]) -> Result<(String, i64), StoreError> {
    let json = serde_json::to_string(points).map_err(|error| StoreError::Invalid(error.to_string()))?;
    Ok((json, i64::try_from(points.len()).unwrap_or(i64::MAX)))
}

fn digest_from_row(ask_id: AskId, row: DigestRow) -> Result<StoredDigest, StoreError> {
    let (points, answer_count, created_at, curated_by, curated_at, sent_at) = row;
    Ok(StoredDigest {
        ask_id,
        points: serde_json::from_str(&points)
            .map_err(|_| StoreError::Corrupt(format!("the digest of ask {ask_id} is malformed")))?,
        answer_count: u32::try_from(answer_count)
            .map_err(|_| StoreError::Corrupt(format!("digest answer count {answer_count}")))?,
        created_at: Timestamp::from_millis(created_at),
        curated_by: curated_by.as_deref().map(MemberId::from_db).transpose()?,
        curated_at: curated_at.map(Timestamp::from_millis),
        sent_at: sent_at.map(Timestamp::from_millis),
    })
}
