//! Push subscriptions: the browsers (one per device) where a member gets notifications. The
//! endpoint is unique: a browser that re-syncs its subscription updates its row, and one that
//! moves to another member (a shared phone) moves with it.

use tracing::instrument;

use crate::db::with_pool;
use crate::{MemberId, Store, StoreError, SubscriptionId, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PushSubscriptionRecord {
    pub id: SubscriptionId,
    pub member_id: MemberId,
    pub endpoint: String,
    /// The browser's P-256 public key, base64url.
    pub p256dh: String,
    /// The browser's auth secret, base64url.
    pub auth: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct SubscriptionRow {
    id: String,
    member_id: String,
    endpoint: String,
    p256dh: String,
    auth: String,
    created_at: i64,
    updated_at: i64,
}

macro_rules! subscription_columns {
    () => {
        "id, member_id, endpoint, p256dh, auth, created_at, updated_at"
    };
}

impl Store {
    /// Adds a subscription, or refreshes the one with the same endpoint (keys may rotate).
    #[instrument(skip(self, p256dh, auth), err(level = "debug"))]
    pub async fn save_subscription(
        &self,
        member_id: MemberId,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
    ) -> Result<PushSubscriptionRecord, StoreError> {
        const SQL: &str = concat!(
            "INSERT INTO push_subscriptions (",
            subscription_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $6) ",
            "ON CONFLICT (endpoint) DO UPDATE SET member_id = excluded.member_id, p256dh = excluded.p256dh, ",
            "auth = excluded.auth, updated_at = excluded.updated_at RETURNING ",
            subscription_columns!()
        );
        let row: SubscriptionRow = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(SubscriptionId::random().to_db())
                .bind(member_id.to_db())
                .bind(endpoint)
                .bind(p256dh)
                .bind(auth)
                .bind(Timestamp::now().as_millis())
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_subscription(&self, id: SubscriptionId) -> Result<PushSubscriptionRecord, StoreError> {
        const SQL: &str = concat!("SELECT ", subscription_columns!(), " FROM push_subscriptions WHERE id = $1");
        let row: SubscriptionRow =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(id.to_db()).fetch_one(pool).await?);
        row.try_into()
    }

    /// A member's devices, oldest first.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn subscriptions_of(&self, member_id: MemberId) -> Result<Vec<PushSubscriptionRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            subscription_columns!(),
            " FROM push_subscriptions WHERE member_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<SubscriptionRow> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(member_id.to_db()).fetch_all(pool).await?);
        rows.into_iter().map(PushSubscriptionRecord::try_from).collect()
    }

    /// Forgets a subscription (the push service said it is gone). True if it existed.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn delete_subscription(&self, id: SubscriptionId) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM push_subscriptions WHERE id = $1";
        let deleted = with_pool!(self, pool => sqlx::query(SQL).bind(id.to_db()).execute(pool).await?.rows_affected());
        Ok(deleted > 0)
    }

    /// The member turned notifications off on one device. True if it was theirs and existed.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn delete_subscription_by_endpoint(
        &self,
        member_id: MemberId,
        endpoint: &str,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM push_subscriptions WHERE member_id = $1 AND endpoint = $2";
        let deleted = with_pool!(self, pool => {
            sqlx::query(SQL).bind(member_id.to_db()).bind(endpoint).execute(pool).await?.rows_affected()
        });
        Ok(deleted > 0)
    }
}

impl TryFrom<SubscriptionRow> for PushSubscriptionRecord {
    type Error = StoreError;

    fn try_from(row: SubscriptionRow) -> Result<PushSubscriptionRecord, StoreError> {
        Ok(PushSubscriptionRecord {
            id: SubscriptionId::from_db(&row.id)?,
            member_id: MemberId::from_db(&row.member_id)?,
            endpoint: row.endpoint,
            p256dh: row.p256dh,
            auth: row.auth,
            created_at: Timestamp::from_millis(row.created_at),
            updated_at: Timestamp::from_millis(row.updated_at),
        })
    }
}
