//! Direct contacts: an asker reaching a peer outside the service (call, message, email). The
//! share of asks that lead to one is the service's headline metric.

use tracing::instrument;

use crate::db::with_pool;
use crate::labels::text_enum;
use crate::{AskId, ContactId, MemberId, Store, StoreError, Timestamp};

text_enum!(
    ContactChannel {
        Call = "call",
        Message = "message",
        Email = "email",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Contact {
    pub id: ContactId,
    pub ask_id: AskId,
    pub from_member: MemberId,
    pub to_member: MemberId,
    pub channel: ContactChannel,
    pub created_at: Timestamp,
}

impl Store {
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn record_contact(
        &self,
        ask_id: AskId,
        from_member: MemberId,
        to_member: MemberId,
        channel: ContactChannel,
        now: Timestamp,
    ) -> Result<Contact, StoreError> {
        const SQL: &str = "INSERT INTO contacts (id, ask_id, from_member, to_member, channel, created_at) \
                           VALUES ($1, $2, $3, $4, $5, $6)";
        let contact = Contact { id: ContactId::random(), ask_id, from_member, to_member, channel, created_at: now };
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(contact.id.to_db())
                .bind(ask_id.to_db())
                .bind(from_member.to_db())
                .bind(to_member.to_db())
                .bind(channel.as_str())
                .bind(now.as_millis())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(contact)
    }

    /// How many contacts an ask led to.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn contact_count(&self, ask_id: AskId) -> Result<u64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM contacts WHERE ask_id = $1";
        let count: i64 = with_pool!(self, pool => sqlx::query_scalar(SQL).bind(ask_id.to_db()).fetch_one(pool).await?);
        Ok(u64::try_from(count).unwrap_or_default())
    }
}
