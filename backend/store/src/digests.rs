//! Digests: the condensed answers returned to the asker, one attributed point per answer.
//! Rewritten as answers arrive; `answer_count` says how many answers the stored one covers.

use tracing::instrument;

use crate::db::with_pool;
use crate::{AnswerId, AskId, Store, StoreError, Timestamp};

/// One answer's point, attributed to its author by code, never by the model.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DigestPoint {
    pub answer_id: AnswerId,
    pub author: String,
    pub sentence: String,
    /// `model`, or `extractive` when the model's sentence was not faithful to the answer.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredDigest {
    pub ask_id: AskId,
    pub points: Vec<DigestPoint>,
    pub answer_count: u32,
    pub created_at: Timestamp,
}

impl StoredDigest {
    /// One line per answer: "Author: point".
    pub fn text(&self) -> String {
        let lines: Vec<String> =
            self.points.iter().map(|point| format!("{}: {}", point.author, point.sentence)).collect();
        lines.join("\n")
    }
}

impl Store {
    /// Stores (or replaces) an ask's digest.
    #[instrument(skip(self, points), fields(points = points.len()), err(level = "debug"))]
    pub async fn save_digest(
        &self,
        ask_id: AskId,
        points: &[DigestPoint],
        now: Timestamp,
    ) -> Result<StoredDigest, StoreError> {
        const SQL: &str = "INSERT INTO digests (ask_id, points, answer_count, created_at) VALUES ($1, $2, $3, $4) \
                           ON CONFLICT (ask_id) DO UPDATE SET points = excluded.points, \
                           answer_count = excluded.answer_count, created_at = excluded.created_at";
        let json = serde_json::to_string(points).map_err(|error| StoreError::Invalid(error.to_string()))?;
        let count = u32::try_from(points.len()).unwrap_or(u32::MAX);
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(ask_id.to_db()).bind(json).bind(i64::from(count)).bind(now.as_millis()).execute(pool).await?.rows_affected()
        });
        Ok(StoredDigest { ask_id, points: points.to_vec(), answer_count: count, created_at: now })
    }

    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_digest(&self, ask_id: AskId) -> Result<Option<StoredDigest>, StoreError> {
        const SQL: &str = "SELECT points, answer_count, created_at FROM digests WHERE ask_id = $1";
        let row: Option<(String, i64, i64)> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(ask_id.to_db()).fetch_optional(pool).await?);
        row.map(|(points, answer_count, created_at)| {
            Ok(StoredDigest {
                ask_id,
                points: serde_json::from_str(&points)
                    .map_err(|_| StoreError::Corrupt(format!("the digest of ask {ask_id} is malformed")))?,
                answer_count: u32::try_from(answer_count)
                    .map_err(|_| StoreError::Corrupt(format!("digest answer count {answer_count}")))?,
                created_at: Timestamp::from_millis(created_at),
            })
        })
        .transpose()
    }
}
