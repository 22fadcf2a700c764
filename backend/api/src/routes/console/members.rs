//! The people of the network as the concierge manages them: the directory with each member's
//! profile and load, invites, deactivating and reactivating, and editing a profile on a
//! member's behalf. Every change is audited.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coagent_store::{Member, MemberId, MemberLoad, Profile, Role, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tracing::instrument;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::health::week_start;
use super::record;
use crate::auth::Concierge;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::profiles::save_profile;
use crate::routes::sessions::{invite_link, INVITE_VALID_HOURS};
use crate::state::AppState;
use crate::views::{rfc3339, ProfileView};

const MAX_NAME_CHARS: usize = 120;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members))
        .routes(routes!(create_invite))
        .routes(routes!(deactivate))
        .routes(routes!(reactivate))
        .routes(routes!(edit_profile))
}

/// A member as the console lists them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsoleMemberView {
    pub id: String,
    pub name: String,
    /// `manager` or `concierge`.
    pub role: String,
    /// Inactive members cannot sign in and are never asked.
    pub active: bool,
    pub created_at: String,
    pub profile: ProfileView,
    pub load: LoadView,
}

/// How much a member is asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoadView {
    /// Requests waiting for them.
    pub open_requests: u32,
    /// Requests made to them since Monday (UTC).
    pub asked_this_week: u32,
    pub weekly_budget: u32,
    pub answered: u32,
    pub passed: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsoleMembers {
    pub members: Vec<ConsoleMemberView>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewInvite {
    /// The new member's name.
    pub name: String,
    /// `manager` or `concierge`.
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InviteCreated {
    /// Single use; shown once, never stored (only its hash is).
    pub code: String,
    /// The link to send the invitee.
    pub link: String,
}

/// Every member, oldest first, with their profile and load.
#[utoipa::path(get, path = "/api/v1/console/members", tag = "console",
    responses((status = 200, body = ConsoleMembers), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody)))]
async fn list_members(
    State(state): State<AppState>,
    Concierge(_): Concierge,
) -> Result<Json<ConsoleMembers>, ApiError> {
    let members = state.store.list_members().await?;
    let mut profiles: HashMap<MemberId, Profile> =
        state.store.list_profiles().await?.into_iter().map(|profile| (profile.member_id, profile)).collect();
    let loads = loads(&state).await?;
    let members = members
        .into_iter()
        .map(|member| {
            let profile = profiles.remove(&member.id).unwrap_or_else(|| Profile::empty(member.id));
            let load = loads.get(&member.id).copied().unwrap_or_default();
            view(member, &profile, load)
        })
        .collect();
    Ok(Json(ConsoleMembers { members }))
}

/// A single-use invite link, valid for a week (as `coagent invite` makes).
#[utoipa::path(post, path = "/api/v1/console/invites", tag = "console", request_body = NewInvite,
    responses((status = 201, body = InviteCreated), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(concierge = %concierge.id))]
async fn create_invite(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    ApiJson(body): ApiJson<NewInvite>,
) -> Result<(StatusCode, Json<InviteCreated>), ApiError> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::InvalidInput(format!("name must be 1 to {MAX_NAME_CHARS} characters")));
    }
    let role: Role = body.role.trim().parse().map_err(ApiError::InvalidInput)?;
    let ttl = Duration::from_secs(INVITE_VALID_HOURS * 3600);
    let (code, invite) = state.store.create_invite(role, name, ttl).await?;
    // The audit keeps who was invited, never the code: it would let anyone who reads the log join.
    let after = json!({ "name": invite.name, "role": invite.role.as_str() });
    record(&state, &concierge, "invite.create", ("invite", invite.id.to_string()), None, Some(after)).await?;
    let link = invite_link(&state.config.network.public_url, &code);
    Ok((StatusCode::CREATED, Json(InviteCreated { code: code.expose().to_owned(), link })))
}

/// Signs a member out for good (their sessions are refused) and stops them being asked;
/// their history stays. A concierge cannot deactivate themself.
#[utoipa::path(post, path = "/api/v1/console/members/{id}/deactivate", params(("id" = String, Path)), tag = "console",
    responses((status = 200, body = ConsoleMemberView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(concierge = %concierge.id))]
async fn deactivate(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path(id): Path<String>,
) -> Result<Json<ConsoleMemberView>, ApiError> {
    let id = member_id(&id)?;
    if id == concierge.id {
        // Someone must stay to reactivate: another concierge can do it.
        return Err(ApiError::Conflict("you cannot deactivate yourself; ask another concierge".into()));
    }
    set_active(&state, &concierge, id, false).await
}

/// Lets a deactivated member sign in and be asked again.
#[utoipa::path(post, path = "/api/v1/console/members/{id}/reactivate", params(("id" = String, Path)), tag = "console",
    responses((status = 200, body = ConsoleMemberView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(concierge = %concierge.id))]
async fn reactivate(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path(id): Path<String>,
) -> Result<Json<ConsoleMemberView>, ApiError> {
    set_active(&state, &concierge, member_id(&id)?, true).await
}

/// Replaces a member's profile, validated as `PUT /api/v1/me/profile` validates it.
#[utoipa::path(put, path = "/api/v1/console/members/{id}/profile", params(("id" = String, Path)), tag = "console",
    request_body = ProfileView,
    responses((status = 200, body = ConsoleMemberView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(concierge = %concierge.id))]
async fn edit_profile(
    State(state): State<AppState>,
    Concierge(concierge): Concierge,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ProfileView>,
) -> Result<Json<ConsoleMemberView>, ApiError> {
    let member = state.store.get_member(member_id(&id)?).await?;
    let (before, after) = save_profile(&state, member.id, body).await?;
    let snapshot = |profile: &Profile| serde_json::to_value(ProfileView::from(profile)).ok();
    record(&state, &concierge, "profile.edit", ("member", member.id.to_string()), snapshot(&before), snapshot(&after))
        .await?;
    let load = loads(&state).await?.get(&member.id).copied().unwrap_or_default();
    Ok(Json(view(member, &after, load)))
}

async fn set_active(
    state: &AppState,
    concierge: &Member,
    id: MemberId,
    active: bool,
) -> Result<Json<ConsoleMemberView>, ApiError> {
    let before = state.store.get_member(id).await?;
    let after = state.store.set_member_active(id, active).await?;
    let action = if active { "member.reactivate" } else { "member.deactivate" };
    let snapshot = |member: &Member| Some(json!({ "active": member.active }));
    record(state, concierge, action, ("member", id.to_string()), snapshot(&before), snapshot(&after)).await?;
    let profile = state.store.get_profile(id).await?;
    let load = loads(state).await?.get(&id).copied().unwrap_or_default();
    Ok(Json(view(after, &profile, load)))
}

/// Every member's load this week, in one query.
async fn loads(state: &AppState) -> Result<HashMap<MemberId, MemberLoad>, ApiError> {
    Ok(state.store.member_loads(week_start(Timestamp::now())).await?.into_iter().collect())
}

/// An id in a path: one that cannot be a member is simply not found.
fn member_id(text: &str) -> Result<MemberId, ApiError> {
    text.parse().map_err(|_| ApiError::NotFound)
}

fn view(member: Member, profile: &Profile, load: MemberLoad) -> ConsoleMemberView {
    ConsoleMemberView {
        id: member.id.to_string(),
        name: member.name,
        role: member.role.as_str().to_owned(),
        active: member.active,
        created_at: rfc3339(member.created_at),
        profile: ProfileView::from(profile),
        load: LoadView {
            open_requests: load.open_requests,
            asked_this_week: load.asked_this_week,
            weekly_budget: profile.weekly_budget,
            answered: load.answered,
            passed: load.passed,
        },
    }
}
