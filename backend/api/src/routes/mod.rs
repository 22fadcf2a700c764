//! Every route, in one place: each resource owns its `router()`, merged here.

pub mod asks;
pub mod console;
pub mod outcomes;
pub mod profiles;
pub mod push;
pub mod requests;
pub mod sessions;
mod spoken;
pub mod system;

use std::path::Path;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::state::AppState;

/// Every route with its OpenAPI operation, paths absolute: the router and the OpenAPI
/// document are both made from this, so neither can miss a route.
pub fn api(max_upload_bytes: u64) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(system::ApiDoc::openapi())
        .merge(sessions::router())
        .merge(profiles::router())
        .merge(asks::router(max_upload_bytes))
        .merge(outcomes::router())
        .merge(requests::router(max_upload_bytes))
        .merge(push::router())
        .merge(crate::live::router())
        .merge(console::router())
        .merge(system::router())
}

/// The whole HTTP surface: `/api/v1/…`, `/healthz`, `/metrics`, and the PWA at `/`.
pub fn router(state: AppState) -> Router {
    let (routes, _) = api(state.config.max_upload_bytes).split_for_parts();
    // An unknown API path is a JSON 404, never the PWA's index.html.
    let mut app = routes.route("/api/v1/{*rest}", any(|| async { ApiError::NotFound }));
    app = match state.config.pwa_dir.as_deref().filter(|dir| dir.is_dir()) {
        Some(dir) => app.fallback_service(pwa(dir)),
        None => app.fallback(|| async { (StatusCode::NOT_FOUND, "not found").into_response() }),
    };
    app.layer(axum::middleware::from_fn_with_state(state.clone(), crate::metrics::track))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The built PWA; paths that are not files get index.html so client-side routes load.
fn pwa(dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")))
}
