//! The concierge's console: every route here takes the `Concierge` extractor, so a missing
//! session is 401 and a manager's session is 403 (the authorization test checks each one,
//! enumerated from the router). Every action that changes something writes an audit entry.

mod ask;
mod audit;
mod health;
mod members;
mod queue;
mod steering;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use audit::record;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(queue::router())
        .merge(ask::router())
        .merge(steering::router())
        .merge(members::router())
        .merge(health::router())
        .merge(audit::router())
}
