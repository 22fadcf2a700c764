//! The concierge's queue: every ask with its asker, where it stands (a state derived from its
//! status, pause, requests and answers), how many peers were asked and answered, filtered by
//! search terms and counted per state. One SQL expression derives the state for both the
//! list and the counts, so the two always agree.

use tracing::instrument;

use crate::db::with_pool;
use crate::labels::text_enum;
use crate::{AskId, AskStatus, MemberId, Store, StoreError, Timestamp};

/// How much of each transcript the queue reads: more than any excerpt needs.
pub const TRANSCRIPT_START_CHARS: usize = 200;

/// The most asks one `among` filter may name (each is a bound parameter).
pub const MAX_AMONG: usize = 1_000;

text_enum!(
    /// Where an ask stands, as the concierge sorts their work.
    QueueState {
        /// Not confirmed by its asker yet.
        Draft = "draft",
        /// Peers are asked and nobody has answered yet.
        Routed = "routed",
        /// Needs the concierge: paused, or confirmed with nobody left to answer.
        Waiting = "waiting",
        /// At least one answer came back.
        Answered = "answered",
        Closed = "closed",
    }
);

/// What to list. Every search term must appear (case-insensitively) in the transcript, the
/// card's title, summary or help asked, or its tags.
#[derive(Debug, Clone, Default)]
pub struct QueueQuery {
    pub terms: Vec<String>,
    /// Only asks in this state (the counts ignore it).
    pub state: Option<QueueState>,
    /// Only these asks, listed in this order (a ranking): at most `MAX_AMONG`.
    pub among: Option<Vec<AskId>>,
    pub limit: u32,
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueEntry {
    pub ask_id: AskId,
    pub state: QueueState,
    pub status: AskStatus,
    pub asker_id: MemberId,
    pub asker_name: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// The transcript's first `TRANSCRIPT_START_CHARS` characters.
    pub transcript_start: String,
    pub created_at: Timestamp,
    pub paused: bool,
    /// Peers asked (withdrawn requests left out).
    pub asked_count: u32,
    pub answer_count: u32,
}

/// How many asks are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub draft: u32,
    pub routed: u32,
    pub waiting: u32,
    pub answered: u32,
    pub closed: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    pub counts: QueueCounts,
    pub entries: Vec<QueueEntry>,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: String,
    member_id: String,
    asker_name: String,
    status: String,
    title: Option<String>,
    summary: Option<String>,
    transcript_start: String,
    created_at: i64,
    paused_at: Option<i64>,
    asked_count: i64,
    answer_count: i64,
    queue_state: String,
}

/// The contract's rule, over the columns `facts` selects. Paused beats everything but draft
/// and closed; an answer beats "nobody left to answer".
const QUEUE_STATE: &str = "CASE WHEN status = 'draft' THEN 'draft' WHEN status = 'closed' THEN 'closed' \
     WHEN paused_at IS NOT NULL THEN 'waiting' \
     WHEN status = 'answered' OR answer_count > 0 THEN 'answered' \
     WHEN open_requests = 0 THEN 'waiting' ELSE 'routed' END";

/// The per-ask facts the state is derived from, for the asks `filter` keeps.
fn facts(filter: &str) -> String {
    format!(
        "SELECT a.id, a.member_id, m.name AS asker_name, a.status, a.title, a.summary, \
         SUBSTR(a.transcript, 1, {TRANSCRIPT_START_CHARS}) AS transcript_start, a.created_at, a.paused_at, \
         (SELECT COUNT(*) FROM ask_requests r WHERE r.ask_id = a.id AND r.withdrawn_at IS NULL) AS asked_count, \
         (SELECT COUNT(*) FROM ask_requests r WHERE r.ask_id = a.id AND r.withdrawn_at IS NULL \
          AND r.state = 'open') AS open_requests, \
         (SELECT COUNT(*) FROM answers an WHERE an.ask_id = a.id) AS answer_count \
         FROM asks a JOIN members m ON m.id = a.member_id WHERE {filter}"
    )
}

/// The searched columns; `COALESCE` because a draft may have no card yet.
const SEARCHED: &[&str] = &[
    "LOWER(a.transcript)",
    "LOWER(COALESCE(a.title, ''))",
    "LOWER(COALESCE(a.summary, ''))",
    "LOWER(COALESCE(a.help_needed, ''))",
    "LOWER(COALESCE(a.tags, ''))",
];

/// A filter and the values it binds, numbered from `$1` in order.
struct Filter {
    sql: String,
    binds: Vec<String>,
}

impl Filter {
    fn new(terms: &[String], among: Option<&[AskId]>) -> Filter {
        let mut filter = Filter { sql: "1 = 1".to_owned(), binds: Vec::new() };
        for term in terms {
            let param = filter.bind(format!("%{}%", escape_like(&term.to_lowercase())));
            let any_column: Vec<String> =
                SEARCHED.iter().map(|column| format!("{column} LIKE {param} ESCAPE '\\'")).collect();
            filter.sql.push_str(&format!(" AND ({})", any_column.join(" OR ")));
        }
        if let Some(ids) = among {
            let params: Vec<String> = ids.iter().map(|id| filter.bind(id.to_db())).collect();
            // An empty ranking keeps nothing (and `IN ()` is not valid SQL).
            let list = if params.is_empty() { "NULL".to_owned() } else { params.join(", ") };
            filter.sql.push_str(&format!(" AND a.id IN ({list})"));
        }
        filter
    }

    /// Adds a value and returns its placeholder.
    fn bind(&mut self, value: String) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }
}

/// `%` and `_` in a search term are literal characters, not wildcards.
fn escape_like(term: &str) -> String {
    term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

impl Store {
    /// The queue, newest first (or in `among`'s order), with the counts per state of every
    /// ask the terms match.
    #[instrument(skip(self, query), fields(terms = query.terms.len(), state = ?query.state), err(level = "debug"))]
    pub async fn console_queue(&self, query: &QueueQuery) -> Result<Queue, StoreError> {
        let among = query.among.as_deref();
        if among.is_some_and(|ids| ids.len() > MAX_AMONG) {
            return Err(StoreError::Invalid(format!("at most {MAX_AMONG} asks can be listed by id")));
        }
        let counts = self.queue_counts(&query.terms).await?;

        let mut filter = Filter::new(&query.terms, among);
        let mut outer = String::new();
        if let Some(state) = query.state {
            let param = filter.bind(state.as_str().to_owned());
            outer = format!("WHERE queue_state = {param} ");
        }
        // A ranking is ordered (and cut) below, so SQL must return all of it.
        let limit = if among.is_some() { i64::MAX } else { i64::from(query.limit) };
        let sql = format!(
            "SELECT * FROM (SELECT facts.*, {QUEUE_STATE} AS queue_state FROM ({}) facts) queue \
             {outer}ORDER BY created_at DESC, id LIMIT ${}",
            facts(&filter.sql),
            filter.binds.len() + 1
        );
        let rows: Vec<QueueRow> = with_pool!(self, pool => {
            let mut select = sqlx::query_as(&sql);
            for value in &filter.binds {
                select = select.bind(value.as_str());
            }
            select.bind(limit).fetch_all(pool).await?
        });
        let mut entries = rows.into_iter().map(QueueEntry::try_from).collect::<Result<Vec<_>, _>>()?;
        if let Some(ids) = among {
            entries.sort_by_key(|entry| ids.iter().position(|id| *id == entry.ask_id));
            entries.truncate(usize::try_from(query.limit).unwrap_or(usize::MAX));
        }
        Ok(Queue { counts, entries })
    }

    async fn queue_counts(&self, terms: &[String]) -> Result<QueueCounts, StoreError> {
        let filter = Filter::new(terms, None);
        let sql = format!(
            "SELECT queue_state, COUNT(*) FROM (SELECT {QUEUE_STATE} AS queue_state FROM ({}) facts) queue \
             GROUP BY queue_state",
            facts(&filter.sql)
        );
        let rows: Vec<(String, i64)> = with_pool!(self, pool => {
            let mut select = sqlx::query_as(&sql);
            for value in &filter.binds {
                select = select.bind(value.as_str());
            }
            select.fetch_all(pool).await?
        });
        let mut counts = QueueCounts::default();
        for (state, count) in rows {
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            match QueueState::from_db(&state)? {
                QueueState::Draft => counts.draft = count,
                QueueState::Routed => counts.routed = count,
                QueueState::Waiting => counts.waiting = count,
                QueueState::Answered => counts.answered = count,
                QueueState::Closed => counts.closed = count,
            }
        }
        Ok(counts)
    }
}

impl TryFrom<QueueRow> for QueueEntry {
    type Error = StoreError;

    fn try_from(row: QueueRow) -> Result<QueueEntry, StoreError> {
        let count = |value: i64| u32::try_from(value).unwrap_or(u32::MAX);
        Ok(QueueEntry {
            ask_id: AskId::from_db(&row.id)?,
            state: QueueState::from_db(&row.queue_state)?,
            status: AskStatus::from_db(&row.status)?,
            asker_id: MemberId::from_db(&row.member_id)?,
            asker_name: row.asker_name,
            title: row.title,
            summary: row.summary,
            transcript_start: row.transcript_start,
            created_at: Timestamp::from_millis(row.created_at),
            paused: row.paused_at.is_some(),
            asked_count: count(row.asked_count),
            answer_count: count(row.answer_count),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_and_underscore_in_a_term_are_matched_literally() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn each_term_binds_one_pattern_searched_in_every_column() {
        let filter = Filter::new(&["Night".into(), "shift".into()], None);
        assert_eq!(filter.binds, ["%night%", "%shift%"]);
        assert_eq!(filter.sql.matches("LIKE $1").count(), SEARCHED.len());
        assert_eq!(filter.sql.matches("LIKE $2").count(), SEARCHED.len());
    }

    #[test]
    fn an_empty_ranking_keeps_no_ask() {
        assert!(Filter::new(&[], Some(&[])).sql.ends_with("a.id IN (NULL)"));
    }
}
