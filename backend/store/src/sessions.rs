//! Sessions: the bearer tokens (and cookies) that say which member is calling.

use std::time::Duration;

use tracing::instrument;

use crate::db::with_pool;
use crate::members::MemberRow;
use crate::{Member, MemberId, SessionToken, Store, StoreError, Timestamp};

/// A signed-in session, without its token (which only the member holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub member_id: MemberId,
    pub created_at: Timestamp,
    /// After this the token no longer authenticates; a cookie's Max-Age can follow it.
    pub expires_at: Timestamp,
}

impl Store {
    /// Signs a member in for `ttl`, returning the token to hand them.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn create_session(
        &self,
        member_id: MemberId,
        ttl: Duration,
    ) -> Result<(SessionToken, Session), StoreError> {
        const SQL: &str =
            "INSERT INTO sessions (token_hash, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
        let token = SessionToken::generate();
        let now = Timestamp::now();
        let session = Session { member_id, created_at: now, expires_at: now + ttl };
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(token.hash())
                .bind(member_id.to_db())
                .bind(now.as_millis())
                .bind(session.expires_at.as_millis())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok((token, session))
    }

    /// The member a token belongs to, if the token is known, unexpired, and its member active.
    /// Every failure reads the same (`None`) so a caller cannot tell them apart by accident.
    #[instrument(skip(self, token), err(level = "debug"))]
    pub async fn member_for_token(&self, token: &SessionToken, now: Timestamp) -> Result<Option<Member>, StoreError> {
        const SQL: &str = "SELECT m.id, m.name, m.role, m.active, m.created_at \
                           FROM sessions s JOIN members m ON m.id = s.member_id \
                           WHERE s.token_hash = $1 AND s.expires_at > $2 AND m.active";
        let row: Option<MemberRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(token.hash()).bind(now.as_millis()).fetch_optional(pool).await?
        });
        row.map(Member::try_from).transpose()
    }

    /// Signs out: the token stops working at once. Unknown tokens are not an error.
    #[instrument(skip(self, token), err(level = "debug"))]
    pub async fn end_session(&self, token: &SessionToken) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token.hash()).execute(pool).await?.rows_affected()
        });
        Ok(())
    }

    /// Signs a member out everywhere; returns how many sessions ended.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn end_sessions_of(&self, member_id: MemberId) -> Result<u64, StoreError> {
        let done = with_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE member_id = $1").bind(member_id.to_db()).execute(pool).await?.rows_affected()
        });
        Ok(done)
    }

    /// Housekeeping: forgets expired sessions (they already fail `member_for_token`).
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64, StoreError> {
        let done = with_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now.as_millis()).execute(pool).await?.rows_affected()
        });
        Ok(done)
    }
}
