//! The audit log: written by every console action through [`record`], read here.

use axum::extract::{Query, State};
use axum::Json;
use coagent_store::{AuditQuery, Member, NewAuditEntry, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Concierge;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::rfc3339;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// Writes one audit entry: `action` is a dotted name (`card.edit`), the subject what it acted
/// on (`ask`, `member`, `invite`, `digest`) and its id, `before`/`after` its state as JSON.
pub async fn record(
    state: &AppState,
    actor: &Member,
    action: &str,
    subject: (&str, String),
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), ApiError> {
    let entry = NewAuditEntry {
        actor_id: actor.id,
        action: action.to_owned(),
        subject_kind: subject.0.to_owned(),
        subject_id: subject.1,
        before,
        after,
    };
    state.store.record_audit(&entry, Timestamp::now()).await?;
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditParams {
    /// Only entries about this subject kind (`ask`, `member`, `invite`, `digest`)…
    subject_kind: Option<String>,
    /// …and this subject id.
    subject_id: Option<String>,
    /// Paging: only entries older than this (milliseconds since the epoch).
    before_ms: Option<i64>,
    /// At most this many (default 100, at most 500).
    limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: String,
    pub actor: AuditActor,
    /// A dotted name such as `card.edit`, `ask.pause`, `request.add`, `digest.send`.
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// RFC 3339, UTC.
    pub at: String,
    /// Milliseconds since the epoch, for paging with `before_ms`.
    pub at_ms: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditActor {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLog {
    pub entries: Vec<AuditEntryView>,
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/console/audit", params(AuditParams), tag = "console",
    responses((status = 200, body = AuditLog), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)))]
async fn list_audit(
    State(state): State<AppState>,
    Concierge(_): Concierge,
    Query(params): Query<AuditParams>,
) -> Result<Json<AuditLog>, ApiError> {
    let subject = match (params.subject_kind, params.subject_id) {
        (Some(kind), Some(id)) => Some((kind, id)),
        (None, None) => None,
        _ => return Err(ApiError::InvalidInput("give both subject_kind and subject_id, or neither".into())),
    };
    let query = AuditQuery {
        subject,
        before: params.before_ms.map(Timestamp::from_millis),
        limit: params.limit.unwrap_or(100),
    };
    let entries = state.store.list_audit(&query).await?;
    let entries = entries
        .into_iter()
        .map(|entry| AuditEntryView {
            id: entry.id.to_string(),
            actor: AuditActor { id: entry.actor_id.to_string(), name: entry.actor_name },
            action: entry.action,
            subject_kind: entry.subject_kind,
            subject_id: entry.subject_id,
            before: entry.before,
            after: entry.after,
            at: rfc3339(entry.created_at),
            at_ms: entry.created_at.as_millis(),
        })
        .collect();
    Ok(Json(AuditLog { entries }))
}
