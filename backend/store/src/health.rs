//! The facts network health is computed from: for each ask made in a period, when it was
//! made, when peers were first asked and first answered, how its answers were rated and
//! whether it led to a direct contact. One query; the arithmetic is the caller's.

use tracing::instrument;

use crate::db::with_pool;
use crate::{AskId, AskStatus, Store, StoreError, Timestamp};

/// One ask's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskFacts {
    pub ask_id: AskId,
    pub status: AskStatus,
    pub created_at: Timestamp,
    /// When the first peer was asked.
    pub first_asked_at: Option<Timestamp>,
    pub first_answer_at: Option<Timestamp>,
    pub answers: u32,
    /// Answers the asker rated helpful, and not helpful.
    pub helpful: u32,
    pub not_helpful: u32,
    /// Direct contacts the ask led to.
    pub contacts: u32,
}

type FactsRow = (String, String, i64, Option<i64>, Option<i64>, i64, i64, i64, i64);

impl Store {
    /// Every ask created in `[from, until)`, drafts included (the caller decides what counts),
    /// oldest first.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn ask_facts(&self, from: Timestamp, until: Timestamp) -> Result<Vec<AskFacts>, StoreError> {
        const SQL: &str = "SELECT a.id, a.status, a.created_at, \
             (SELECT MIN(r.asked_at) FROM ask_requests r WHERE r.ask_id = a.id), \
             (SELECT MIN(an.created_at) FROM answers an WHERE an.ask_id = a.id), \
             (SELECT COUNT(*) FROM answers an WHERE an.ask_id = a.id), \
             (SELECT COUNT(*) FROM answers an WHERE an.ask_id = a.id AND an.helpful), \
             (SELECT COUNT(*) FROM answers an WHERE an.ask_id = a.id AND NOT an.helpful), \
             (SELECT COUNT(*) FROM contacts c WHERE c.ask_id = a.id) \
             FROM asks a WHERE a.created_at >= $1 AND a.created_at < $2 ORDER BY a.created_at, a.id";
        let rows: Vec<FactsRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(from.as_millis()).bind(until.as_millis()).fetch_all(pool).await?
        });
        let count = |value: i64| u32::try_from(value).unwrap_or(u32::MAX);
        rows.into_iter()
            .map(
                |(id, status, created_at, first_asked_at, first_answer_at, answers, helpful, not_helpful, contacts)| {
                    Ok(AskFacts {
                        ask_id: AskId::from_db(&id)?,
                        status: AskStatus::from_db(&status)?,
                        created_at: Timestamp::from_millis(created_at),
                        first_asked_at: first_asked_at.map(Timestamp::from_millis),
                        first_answer_at: first_answer_at.map(Timestamp::from_millis),
                        answers: count(answers),
                        helpful: count(helpful),
                        not_helpful: count(not_helpful),
                        contacts: count(contacts),
                    })
                },
            )
            .collect()
    }
}
