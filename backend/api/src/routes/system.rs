//! Operations endpoints: liveness, Prometheus metrics and the OpenAPI document.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::state::AppState;

/// Routes outside `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics))
}

/// Routes inside `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "coagent",
        description = "Contract for outside clients (v1). Errors are `{\"error\":{\"code\",\"message\"}}`; \
        authenticate with the session cookie or `Authorization: Bearer <token>`. Live dictation is the WebSocket \
        `GET /api/v1/live`, described in DESIGN.md."
    ),
    paths(
        crate::routes::sessions::create_session,
        crate::routes::profiles::me,
        crate::routes::profiles::put_profile,
        crate::routes::profiles::directory,
        crate::routes::asks::create_ask,
        crate::routes::asks::list_asks,
        crate::routes::asks::get_ask,
        crate::routes::asks::confirm_ask,
        crate::routes::outcomes::similar,
        crate::routes::outcomes::feedback,
        crate::routes::outcomes::contact,
        crate::routes::outcomes::close,
        crate::routes::outcomes::audio,
        crate::routes::requests::inbox,
        crate::routes::requests::answer,
        crate::routes::requests::pass,
        crate::routes::requests::refer,
        crate::routes::push::vapid_public_key,
        crate::routes::push::subscribe,
        crate::routes::push::unsubscribe,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::views::PeerAskView))
)]
pub struct ApiDoc;

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// Answers as long as the process serves requests and the database answers.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.list_unused_invites().await {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(error = %error, "health check: the database does not answer");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
