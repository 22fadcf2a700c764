//! Live dictation over a WebSocket (`GET /api/v1/live`): audio stored durably as it arrives,
//! transcribed on the speech workers, and turned into a draft ask on stop.

mod convert;
mod dictation;
mod messages;
mod socket;

use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentMember;
use crate::state::AppState;

pub use messages::{ClientMessage, ServerMessage};

/// Largest binary frame: a second of 192 kHz audio is 384 KB; anything far past that is not
/// a client following the contract, and capping it bounds each connection's memory.
const MAX_FRAME_BYTES: usize = 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(upgrade))
}

/// Live dictation: a WebSocket (see DESIGN.md for its messages). Authenticates before
/// upgrading, so an unknown caller gets a JSON 401, not a socket.
#[utoipa::path(get, path = "/api/v1/live",
    responses((status = 101, description = "switching to the WebSocket"), (status = 401, body = crate::error::ErrorBody)))]
async fn upgrade(State(state): State<AppState>, member: CurrentMember, upgrade: WebSocketUpgrade) -> Response {
    upgrade
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(move |websocket| socket::serve(websocket, state, member.0))
}
