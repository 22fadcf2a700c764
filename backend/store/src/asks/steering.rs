//! A concierge steering an ask: correcting its card, and holding it (no new wave is asked, no
//! digest pushed) until they let it go again.

use coagent_domain::ProblemCard;
use tracing::instrument;

use super::{ask_columns, tags_to_db, Ask, AskRow, AskStatus};
use crate::db::{with_pool, BeginWrite as _};
use crate::{AskId, Store, StoreError, Timestamp};

impl Store {
    /// A concierge rewrites the card of an ask (any status, once the card exists) and returns
    /// it as it was and as it is now, for the audit log. The card's embedding is dropped, so the
    /// next wave is matched on the corrected card rather than the one it replaces.
    #[instrument(skip(self, card), err(level = "debug"))]
    pub async fn edit_card_as_concierge(
        &self,
        id: AskId,
        card: &ProblemCard,
        now: Timestamp,
    ) -> Result<(Ask, Ask), StoreError> {
        const BEFORE: &str = concat!("SELECT ", ask_columns!(), " FROM asks WHERE id = $1");
        const EDIT: &str = concat!(
            "UPDATE asks SET title = $2, summary = $3, help_needed = $4, tags = $5, embedding = NULL, ",
            "concierge_edited_at = $6, updated_at = $6 WHERE id = $1 AND card_source IS NOT NULL RETURNING ",
            ask_columns!()
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let before: AskRow = sqlx::query_as(BEFORE).bind(id.to_db()).fetch_one(&mut *tx).await?;
            let after: Option<AskRow> = sqlx::query_as(EDIT)
                .bind(id.to_db())
                .bind(&card.title)
                .bind(&card.summary)
                .bind(&card.help_needed)
                .bind(tags_to_db(&card.tags))
                .bind(now.as_millis())
                .fetch_optional(&mut *tx)
                .await?;
            let after = after.ok_or(StoreError::AskHasNoCard)?;
            tx.commit().await?;
            Ok((Ask::try_from(before)?, Ask::try_from(after)?))
        })
    }

    /// Puts an ask on hold. Holding a held or closed ask is a `Conflict`: the concierge's
    /// screen was out of date.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn pause_ask(&self, id: AskId, now: Timestamp) -> Result<Ask, StoreError> {
        const SQL: &str = concat!(
            "UPDATE asks SET paused_at = $2, updated_at = $2 ",
            "WHERE id = $1 AND paused_at IS NULL AND status <> 'closed' RETURNING ",
            ask_columns!()
        );
        let row: Option<AskRow> = with_pool!(self, pool => sqlx::query_as(SQL).bind(id.to_db()).bind(now.as_millis()).fetch_optional(pool).await?);
        match row {
            Some(row) => row.try_into(),
            None => match self.get_ask(id).await? {
                ask if ask.status == AskStatus::Closed => Err(StoreError::Conflict("the ask is closed".into())),
                _ => Err(StoreError::Conflict("the ask is already on hold".into())),
            },
        }
    }

    /// Lets a held ask go again; one that is not on hold is a `Conflict`.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn resume_ask(&self, id: AskId, now: Timestamp) -> Result<Ask, StoreError> {
        const SQL: &str = concat!(
            "UPDATE asks SET paused_at = NULL, updated_at = $2 WHERE id = $1 AND paused_at IS NOT NULL RETURNING ",
            ask_columns!()
        );
        let row: Option<AskRow> = with_pool!(self, pool => sqlx::query_as(SQL).bind(id.to_db()).bind(now.as_millis()).fetch_optional(pool).await?);
        match row {
            Some(row) => row.try_into(),
            None => {
                self.get_ask(id).await?; // NotFound first
                Err(StoreError::Conflict("the ask is not on hold".into()))
            }
        }
    }
}
