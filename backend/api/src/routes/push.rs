//! Web Push: the server's public VAPID key, and the browsers' subscriptions.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coagent_push::Subscription;
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentMember;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(vapid_public_key)).routes(routes!(subscribe, unsubscribe))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VapidPublicKey {
    /// The uncompressed P-256 point, base64url without padding: the browser's `applicationServerKey`.
    pub public_key: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Subscribed {
    pub id: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Unsubscribe {
    pub endpoint: String,
}

/// The key browsers subscribe with. Public by nature; no session needed.
#[utoipa::path(get, path = "/api/v1/push/vapid-public-key", security(()), responses((status = 200, body = VapidPublicKey)))]
async fn vapid_public_key(State(state): State<AppState>) -> Json<VapidPublicKey> {
    Json(VapidPublicKey { public_key: state.push.keys.public_key_base64url().to_owned() })
}

/// Saves this browser's `PushSubscription` (`{"endpoint", "keys": {"p256dh", "auth"}}`);
/// sending the same one again refreshes it.
#[utoipa::path(post, path = "/api/v1/push/subscriptions", request_body(content = Object, description = "PushSubscription.toJSON()"),
    responses((status = 201, body = Subscribed), (status = 422, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(member = %member.0.id))]
async fn subscribe(
    State(state): State<AppState>,
    member: CurrentMember,
    body: Bytes,
) -> Result<(StatusCode, Json<Subscribed>), ApiError> {
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::InvalidJson("the body is not UTF-8 text".into()))?;
    let subscription = Subscription::from_json(text)
        .map_err(|error| ApiError::InvalidInput(format!("not a usable push subscription: {error}")))?;
    let saved = state
        .store
        .save_subscription(member.0.id, subscription.endpoint(), subscription.p256dh(), subscription.auth())
        .await?;
    Ok((StatusCode::CREATED, Json(Subscribed { id: saved.id.to_string() })))
}

/// Forgets this browser (the member turned notifications off).
#[utoipa::path(delete, path = "/api/v1/push/subscriptions", request_body = Unsubscribe, responses((status = 204)))]
async fn unsubscribe(
    State(state): State<AppState>,
    member: CurrentMember,
    ApiJson(body): ApiJson<Unsubscribe>,
) -> Result<StatusCode, ApiError> {
    state.store.delete_subscription_by_endpoint(member.0.id, &body.endpoint).await?;
    Ok(StatusCode::NO_CONTENT)
}
