//! Operations endpoints: liveness, Prometheus metrics and the OpenAPI document.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::sync::LazyLock;

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Liveness, metrics and the OpenAPI document: public, outside the session.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz)).routes(routes!(metrics)).routes(routes!(openapi))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "coagent",
        description = "Contract for outside clients (v1). Errors are `{\"error\":{\"code\",\"message\"}}`; \
        authenticate with the session cookie or `Authorization: Bearer <token>`. Live dictation is the WebSocket \
        `GET /api/v1/live`, described in DESIGN.md. Routes under `/api/v1/console` are the concierge's."
    ),
    modifiers(&SessionSchemes),
    security(("session_cookie" = []), ("bearer" = [])),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::views::PeerAskView))
)]
pub struct ApiDoc;

/// The two ways to present a session. Operations that need none say `security(())`.
struct SessionSchemes;

impl Modify for SessionSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The OpenAPI document of every route, made once from the router itself.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| super::api(0).into_openapi());
    &DOCUMENT
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", security(()), responses((status = 200, description = "OpenAPI 3.1")))]
async fn openapi() -> impl IntoResponse {
    Json(document())
}

#[utoipa::path(get, path = "/healthz", security(()),
    responses((status = 200, description = "ok"), (status = 503, description = "the database does not answer")))]
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

/// Prometheus text format.
#[utoipa::path(get, path = "/metrics", security(()), responses((status = 200, description = "metrics")))]
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
