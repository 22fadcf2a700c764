//! Requests: who was asked to help with an ask, in which wave, why, and what they did about
//! it. The table's key (ask, member) is the rule that nobody is asked twice for one ask.

use serde_json::Value;
use tracing::instrument;

use crate::db::with_pool;
use crate::labels::text_enum;
use crate::{AskId, MemberId, Store, StoreError, Timestamp};

text_enum!(
    /// What a peer did with a request.
    RequestState {
        /// Waiting for the peer.
        Open = "open",
        Answered = "answered",
        /// The peer cannot help this time.
        Passed = "passed",
        /// The peer named a colleague instead.
        Referred = "referred",
    }
);

/// One peer asked for one ask.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AskRequest {
    pub ask_id: AskId,
    pub member_id: MemberId,
    /// 1 for the first peers asked, 2 for the escalation after them, …
    pub wave: u32,
    /// Position in the ranking the matcher made (1 = best).
    pub rank: u32,
    /// Why this peer: the matcher's scores and a sentence, shown to the concierge.
    pub reasons: Value,
    pub state: RequestState,
    /// The colleague who referred this peer, when the matcher did not choose them.
    pub referred_by: Option<MemberId>,
    /// The concierge who asked this peer by hand, when the matcher did not choose them.
    pub added_by: Option<MemberId>,
    /// When a concierge took the request back: it left the peer's inbox and takes no answer.
    pub withdrawn_at: Option<Timestamp>,
    pub asked_at: Timestamp,
    pub responded_at: Option<Timestamp>,
}

/// A request about to be made.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequest {
    pub member_id: MemberId,
    pub rank: u32,
    pub reasons: Value,
    pub referred_by: Option<MemberId>,
}

/// A request as its peer's inbox lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxItem {
    pub request: AskRequest,
    pub title: String,
    pub asker_id: MemberId,
    pub asker_name: String,
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    ask_id: String,
    member_id: String,
    wave: i64,
    rank: i64,
    reasons: String,
    state: String,
    referred_by: Option<String>,
    added_by: Option<String>,
    withdrawn_at: Option<i64>,
    asked_at: i64,
    responded_at: Option<i64>,
}

macro_rules! request_columns {
    () => {
        "ask_id, member_id, wave, rank, reasons, state, referred_by, added_by, withdrawn_at, asked_at, responded_at"
    };
}

impl Store {
    /// Records a wave of requests and returns those actually made: a peer already asked for
    /// this ask is skipped, never asked again.
    #[instrument(skip(self, requests), fields(count = requests.len()), err(level = "debug"))]
    pub async fn add_requests(
        &self,
        ask_id: AskId,
        wave: u32,
        requests: &[NewRequest],
        now: Timestamp,
    ) -> Result<Vec<AskRequest>, StoreError> {
        const SQL: &str = concat!(
            "INSERT INTO ask_requests (ask_id, member_id, wave, rank, reasons, state, referred_by, asked_at) ",
            "VALUES ($1, $2, $3, $4, $5, 'open', $6, $7) ON CONFLICT (ask_id, member_id) DO NOTHING RETURNING ",
            request_columns!()
        );
        let mut made = Vec::with_capacity(requests.len());
        for request in requests {
            let row: Option<RequestRow> = with_pool!(self, pool => {
                sqlx::query_as(SQL)
                    .bind(ask_id.to_db())
                    .bind(request.member_id.to_db())
                    .bind(i64::from(wave))
                    .bind(i64::from(request.rank))
                    .bind(request.reasons.to_string())
                    .bind(request.referred_by.map(MemberId::to_db))
                    .bind(now.as_millis())
                    .fetch_optional(pool)
                    .await?
            });
            if let Some(row) = row {
                made.push(row.try_into()?);
            }
        }
        Ok(made)
    }

    /// Everyone asked for an ask, in the order they were asked.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn requests_for_ask(&self, ask_id: AskId) -> Result<Vec<AskRequest>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            request_columns!(),
            " FROM ask_requests WHERE ask_id = $1 ORDER BY wave, rank, member_id"
        );
        let rows: Vec<RequestRow> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(ask_id.to_db()).fetch_all(pool).await?);
        rows.into_iter().map(AskRequest::try_from).collect()
    }

    /// The request a peer holds for an ask; `NotFound` when they were not asked.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_request(&self, ask_id: AskId, member_id: MemberId) -> Result<AskRequest, StoreError> {
        const SQL: &str =
            concat!("SELECT ", request_columns!(), " FROM ask_requests WHERE ask_id = $1 AND member_id = $2");
        let row: RequestRow = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(ask_id.to_db()).bind(member_id.to_db()).fetch_one(pool).await?
        });
        row.try_into()
    }

    /// Every request made since `since` (matching reads budgets, open requests and response
    /// speed from them).
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn requests_since(&self, since: Timestamp) -> Result<Vec<AskRequest>, StoreError> {
        const SQL: &str = concat!("SELECT ", request_columns!(), " FROM ask_requests WHERE asked_at >= $1");
        let rows: Vec<RequestRow> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(since.as_millis()).fetch_all(pool).await?);
        rows.into_iter().map(AskRequest::try_from).collect()
    }

    /// A peer's requests with their asks' titles and askers, newest first; withdrawn ones are
    /// gone from it.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn inbox(&self, member_id: MemberId) -> Result<Vec<InboxItem>, StoreError> {
        const SQL: &str = "SELECT r.ask_id, r.member_id, r.wave, r.rank, r.reasons, r.state, r.referred_by, \
             r.added_by, r.asked_at, r.responded_at, a.title, a.member_id, m.name \
             FROM ask_requests r JOIN asks a ON a.id = r.ask_id JOIN members m ON m.id = a.member_id \
             WHERE r.member_id = $1 AND r.withdrawn_at IS NULL ORDER BY r.asked_at DESC, r.ask_id";
        type Row = (
            String,
            String,
            i64,
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            i64,
            Option<i64>,
            Option<String>,
            String,
            String,
        );
        let rows: Vec<Row> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(member_id.to_db()).fetch_all(pool).await?);
        rows.into_iter()
            .map(|row| {
                let request = RequestRow {
                    ask_id: row.0,
                    member_id: row.1,
                    wave: row.2,
                    rank: row.3,
                    reasons: row.4,
                    state: row.5,
                    referred_by: row.6,
                    added_by: row.7,
                    withdrawn_at: None,
                    asked_at: row.8,
                    responded_at: row.9,
                };
                Ok(InboxItem {
                    request: request.try_into()?,
                    title: row.10.unwrap_or_default(),
                    asker_id: MemberId::from_db(&row.11)?,
                    asker_name: row.12,
                })
            })
            .collect()
    }

    /// The peer passes or refers; answering goes through `add_answer`. Only an open request
    /// changes: a second click (or a withdrawn request) is `Conflict`, another member's request
    /// `NotFound`.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn respond_to_request(
        &self,
        ask_id: AskId,
        member_id: MemberId,
        state: RequestState,
        now: Timestamp,
    ) -> Result<AskRequest, StoreError> {
        const SQL: &str = concat!(
            "UPDATE ask_requests SET state = $3, responded_at = $4 ",
            "WHERE ask_id = $1 AND member_id = $2 AND state = 'open' AND withdrawn_at IS NULL RETURNING ",
            request_columns!()
        );
        if state == RequestState::Open {
            return Err(StoreError::Invalid("a request cannot be reopened".into()));
        }
        let row: Option<RequestRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(ask_id.to_db())
                .bind(member_id.to_db())
                .bind(state.as_str())
                .bind(now.as_millis())
                .fetch_optional(pool)
                .await?
        });
        match row {
            Some(row) => row.try_into(),
            None => Err(self.why_not_open(ask_id, member_id).await),
        }
    }

    /// Why a peer's request can no longer be acted on: not theirs, withdrawn, or handled.
    pub(crate) async fn why_not_open(&self, ask_id: AskId, member_id: MemberId) -> StoreError {
        match self.get_request(ask_id, member_id).await {
            Ok(request) if request.withdrawn_at.is_some() => {
                StoreError::Conflict("the concierge withdrew this request".into())
            }
            Ok(request) => StoreError::Conflict(format!("the request is already {}", request.state)),
            Err(error) => error,
        }
    }

    /// A concierge asks one more peer by hand. Nobody is asked twice for one ask, so a peer
    /// who already holds a request (even a withdrawn one) is a `Conflict`.
    #[instrument(skip(self, request), fields(member = %request.member_id), err(level = "debug"))]
    pub async fn add_request_by_hand(
        &self,
        ask_id: AskId,
        wave: u32,
        request: &NewRequest,
        concierge: MemberId,
        now: Timestamp,
    ) -> Result<AskRequest, StoreError> {
        const SQL: &str = concat!(
            "INSERT INTO ask_requests (ask_id, member_id, wave, rank, reasons, state, referred_by, added_by, ",
            "asked_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8) RETURNING ",
            request_columns!()
        );
        let inserted: Result<RequestRow, StoreError> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(ask_id.to_db())
                .bind(request.member_id.to_db())
                .bind(i64::from(wave))
                .bind(i64::from(request.rank))
                .bind(request.reasons.to_string())
                .bind(request.referred_by.map(MemberId::to_db))
                .bind(concierge.to_db())
                .bind(now.as_millis())
                .fetch_one(pool)
                .await
                .map_err(StoreError::from)
        });
        match inserted {
            Ok(row) => row.try_into(),
            Err(StoreError::Conflict(_)) => Err(StoreError::Conflict("this member was already asked".into())),
            Err(other) => Err(other),
        }
    }

    /// A concierge takes back an open request: it leaves the peer's inbox and can no longer be
    /// answered or passed, but stays listed for the ask (and keeps the peer from being asked
    /// again). One already answered, passed, referred or withdrawn is a `Conflict`.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn withdraw_request(
        &self,
        ask_id: AskId,
        member_id: MemberId,
        now: Timestamp,
    ) -> Result<AskRequest, StoreError> {
        const SQL: &str = concat!(
            "UPDATE ask_requests SET withdrawn_at = $3 ",
            "WHERE ask_id = $1 AND member_id = $2 AND state = 'open' AND withdrawn_at IS NULL RETURNING ",
            request_columns!()
        );
        let row: Option<RequestRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(ask_id.to_db())
                .bind(member_id.to_db())
                .bind(now.as_millis())
                .fetch_optional(pool)
                .await?
        });
        match row {
            Some(row) => row.try_into(),
            None => Err(self.why_not_open(ask_id, member_id).await),
        }
    }
}

impl TryFrom<RequestRow> for AskRequest {
    type Error = StoreError;

    fn try_from(row: RequestRow) -> Result<AskRequest, StoreError> {
        let number = |value: i64, what: &str| {
            u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("request {what} {value}")))
        };
        Ok(AskRequest {
            ask_id: AskId::from_db(&row.ask_id)?,
            member_id: MemberId::from_db(&row.member_id)?,
            wave: number(row.wave, "wave")?,
            rank: number(row.rank, "rank")?,
            reasons: serde_json::from_str(&row.reasons)
                .map_err(|_| StoreError::Corrupt(format!("request for ask {} has malformed reasons", row.ask_id)))?,
            state: RequestState::from_db(&row.state)?,
            referred_by: row.referred_by.as_deref().map(MemberId::from_db).transpose()?,
            added_by: row.added_by.as_deref().map(MemberId::from_db).transpose()?,
            withdrawn_at: row.withdrawn_at.map(Timestamp::from_millis),
            asked_at: Timestamp::from_millis(row.asked_at),
            responded_at: row.responded_at.map(Timestamp::from_millis),
        })
    }
}
