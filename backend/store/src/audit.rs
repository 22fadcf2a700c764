//! The concierge's audit log: every action they take, with who, what, on what, when, and the
//! state before and after as JSON. Entries are only ever added.

use serde_json::Value;
use tracing::instrument;

use crate::db::with_pool;
use crate::{AuditId, MemberId, Store, StoreError, Timestamp};

/// An action about to be logged. `action` is a dotted name such as `card.edit`; the subject
/// is what it acted on (`ask`, `member`, `invite`, `digest`) and its id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    pub actor_id: MemberId,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    pub id: AuditId,
    pub actor_id: MemberId,
    /// The actor's display name, joined for the console.
    pub actor_name: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub created_at: Timestamp,
}

/// Which entries to list: newest first, older than `before` when paging, optionally about one
/// subject only.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub subject: Option<(String, String)>,
    pub before: Option<Timestamp>,
    pub limit: u32,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: String,
    actor_id: String,
    actor_name: String,
    action: String,
    subject_kind: String,
    subject_id: String,
    before_state: Option<String>,
    after_state: Option<String>,
    created_at: i64,
}

impl AuditRow {
    fn into_entry(self) -> Result<AuditEntry, StoreError> {
        let json = |text: Option<String>| {
            text.map(|text| {
                serde_json::from_str(&text)
                    .map_err(|_| StoreError::Corrupt(format!("audit entry {} holds malformed JSON", self.id)))
            })
            .transpose()
        };
        Ok(AuditEntry {
            before: json(self.before_state.clone())?,
            after: json(self.after_state.clone())?,
            id: AuditId::from_db(&self.id)?,
            actor_id: MemberId::from_db(&self.actor_id)?,
            actor_name: self.actor_name,
            action: self.action,
            subject_kind: self.subject_kind,
            subject_id: self.subject_id,
            created_at: Timestamp::from_millis(self.created_at),
        })
    }
}

impl Store {
    #[instrument(skip(self, entry), fields(action = %entry.action, subject = %entry.subject_id), err(level = "debug"))]
    pub async fn record_audit(&self, entry: &NewAuditEntry, now: Timestamp) -> Result<AuditId, StoreError> {
        const SQL: &str = "INSERT INTO audit_log \
                           (id, actor_id, action, subject_kind, subject_id, before_state, after_state, created_at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let id = AuditId::random();
        let before = entry.before.as_ref().map(Value::to_string);
        let after = entry.after.as_ref().map(Value::to_string);
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(id.to_db())
                .bind(entry.actor_id.to_db())
                .bind(&entry.action)
                .bind(&entry.subject_kind)
                .bind(&entry.subject_id)
                .bind(before.as_deref())
                .bind(after.as_deref())
                .bind(now.as_millis())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(id)
    }

    /// Entries newest first (ties by id, so paging is stable).
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        const SQL: &str = "SELECT a.id, a.actor_id, m.name AS actor_name, a.action, a.subject_kind, a.subject_id, \
                           a.before_state, a.after_state, a.created_at \
                           FROM audit_log a JOIN members m ON m.id = a.actor_id \
                           WHERE ($1 IS NULL OR (a.subject_kind = $1 AND a.subject_id = $2)) \
                           AND ($3 IS NULL OR a.created_at < $3) \
                           ORDER BY a.created_at DESC, a.id DESC LIMIT $4";
        let (kind, id) = query.subject.clone().unzip();
        let before = query.before.map(|at| at.as_millis());
        let limit = i64::from(query.limit.clamp(1, 500));
        let rows: Vec<AuditRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(kind.as_deref()).bind(id.as_deref()).bind(before).bind(limit).fetch_all(pool).await?
        });
        rows.into_iter().map(AuditRow::into_entry).collect()
    }
}
