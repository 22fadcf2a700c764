//! Joining with an invite code, and the shape of the link that carries one.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use coagent_store::{InviteCode, Timestamp};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::session_cookie;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::views::MemberView;

/// How long an invite stays valid unless its maker says otherwise (`coagent invite`, the console).
pub const INVITE_VALID_HOURS: u64 = 7 * 24;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_session))
}

/// The link an invitee opens. The code rides in the fragment, which browsers never send to
/// the server: it stays out of access logs and proxies.
pub fn invite_link(public_url: &str, code: &InviteCode) -> String {
    format!("{}/#/join/{}", public_url.trim_end_matches('/'), code.expose())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateSession {
    /// The code from the invite link.
    pub invite_code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// Send as `Authorization: Bearer <token>`; browsers can rely on the cookie instead.
    pub token: String,
    pub member: MemberView,
}

/// Redeems a single-use invite: creates the member and signs them in.
#[utoipa::path(post, path = "/api/v1/sessions", security(()), request_body = CreateSession,
    responses((status = 201, body = SessionCreated), (status = 404, body = crate::error::ErrorBody), (status = 410, body = crate::error::ErrorBody)))]
#[instrument(skip_all)]
async fn create_session(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<CreateSession>,
) -> Result<impl IntoResponse, ApiError> {
    let code = body.invite_code.trim();
    if code.is_empty() {
        return Err(ApiError::InvalidInput("`invite_code` must not be empty".into()));
    }
    let member = state.store.redeem_invite(&InviteCode::new(code), Timestamp::now()).await?;
    let ttl = state.config.session_ttl;
    let (token, _) = state.store.create_session(member.id, ttl).await?;
    let cookie = session_cookie(&token, ttl.as_secs(), state.config.secure_cookies);
    let body = SessionCreated { token: token.expose().to_owned(), member: MemberView::from(&member) };
    Ok((StatusCode::CREATED, [(header::SET_COOKIE, cookie)], Json(body)))
}
