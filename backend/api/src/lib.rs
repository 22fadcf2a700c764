//! The HTTP and WebSocket API (axum only): state, the one error type, extractors, one router
//! per resource and live dictation. Engines are reached only through the domain traits, on
//! worker pools, so this crate compiles and is tested without whisper.cpp or candle.

mod auth;
mod drafting;
mod error;
mod extract;
mod live;
mod media;
mod metrics;
mod network;
mod pool;
mod routes;
mod startup;
mod state;
mod views;

pub use error::ApiError;
pub use live::{ClientMessage, ServerMessage};
pub use network::JobRunner;
pub use pool::InferencePool;
pub use routes::api as api_routes;
pub use routes::sessions::{invite_link, INVITE_VALID_HOURS};
pub use routes::system::document as openapi_document;
pub use startup::{Application, StartError};
pub use state::{ApiConfig, Engines, NetworkConfig};
