//! Every route, in one place: each resource owns its `router()`, merged here.

pub mod asks;
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
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::state::AppState;

/// The whole HTTP surface: `/api/v1/…`, `/healthz`, `/metrics`, and the PWA at `/`.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(sessions::router())
        .merge(profiles::router())
        .merge(asks::router(state.config.max_upload_bytes))
        .merge(outcomes::router())
        .merge(requests::router(state.config.max_upload_bytes))
        .merge(push::router())
        .merge(crate::live::router())
        .merge(system::api_router())
        // An unknown API path is a JSON 404, never the PWA's index.html.
        .fallback(|| async { ApiError::NotFound });
    let mut app = Router::new().nest("/api/v1", api).merge(system::router());
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
