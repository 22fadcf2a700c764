//! Who I am and what I offer: `GET /me` with my profile, `PUT /me/profile`, and the member
//! directory (for referring a colleague). The expertise's embedding is recomputed whenever
//! its text changes, so matching always reads the profile as it now stands.

use axum::extract::State;
use axum::Json;
use chrono::NaiveTime;
use coagent_matching::Tz;
use coagent_store::{MemberId, Profile};
use tracing::instrument;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentMember;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::network::embed_one;
use crate::state::AppState;
use crate::views::{Directory, DirectoryEntry, MeView, MemberView, ProfileView};

/// More than this and "budget" stops meaning anything.
const MAX_WEEKLY_BUDGET: u32 = 20;
const MAX_EXPERTISE_CHARS: usize = 2_000;
const MAX_FIELD_CHARS: usize = 120;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me)).routes(routes!(put_profile)).routes(routes!(directory))
}

/// The member this session belongs to, with their profile.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = MeView), (status = 401, body = crate::error::ErrorBody)))]
async fn me(State(state): State<AppState>, CurrentMember(member): CurrentMember) -> Result<Json<MeView>, ApiError> {
    let profile = state.store.get_profile(member.id).await?;
    Ok(Json(MeView { member: MemberView::from(&member), profile: ProfileView::from(&profile) }))
}

/// Replaces my profile (every field).
#[utoipa::path(put, path = "/api/v1/me/profile", request_body = ProfileView,
    responses((status = 200, body = ProfileView), (status = 422, body = crate::error::ErrorBody)))]
#[instrument(skip_all, fields(member = %member.0.id))]
async fn put_profile(
    State(state): State<AppState>,
    member: CurrentMember,
    ApiJson(body): ApiJson<ProfileView>,
) -> Result<Json<ProfileView>, ApiError> {
    let (_, saved) = save_profile(&state, member.0.id, body).await?;
    Ok(Json(ProfileView::from(&saved)))
}

/// Validates a profile body and writes it as `member_id`'s whole profile, embedding the
/// expertise again only when its text changed. Returns the profile before and after: the
/// member's own edit and the concierge's go through here alike.
pub(crate) async fn save_profile(
    state: &AppState,
    member_id: MemberId,
    body: ProfileView,
) -> Result<(Profile, Profile), ApiError> {
    let mut profile = validated(member_id, body)?;
    let stored = state.store.get_profile(member_id).await?;
    profile.expertise_embedding = if profile.expertise.is_empty() {
        None
    } else if profile.expertise == stored.expertise && stored.expertise_embedding.is_some() {
        stored.expertise_embedding.clone()
    } else {
        Some(embed_one(state, profile.expertise.clone()).await?)
    };
    let saved = state.store.put_profile(&profile).await?;
    Ok((stored, saved))
}

/// Active members, for choosing a colleague to refer.
#[utoipa::path(get, path = "/api/v1/members", responses((status = 200, body = Directory)))]
async fn directory(State(state): State<AppState>, _member: CurrentMember) -> Result<Json<Directory>, ApiError> {
    let profiles = state.store.list_profiles().await?;
    let members = state
        .store
        .list_members()
        .await?
        .into_iter()
        .filter(|member| member.active)
        .map(|member| {
            let profile = profiles.iter().find(|profile| profile.member_id == member.id);
            DirectoryEntry {
                id: member.id.to_string(),
                name: member.name,
                team: profile.and_then(|p| p.team.clone()),
                site: profile.and_then(|p| p.site.clone()),
            }
        })
        .collect();
    Ok(Json(Directory { members }))
}

fn validated(member_id: MemberId, body: ProfileView) -> Result<Profile, ApiError> {
    let invalid = |message: String| ApiError::InvalidInput(message);
    let expertise = body.expertise.trim().to_owned();
    if expertise.chars().count() > MAX_EXPERTISE_CHARS {
        return Err(invalid(format!("expertise is limited to {MAX_EXPERTISE_CHARS} characters")));
    }
    let short = |name: &str, value: Option<String>| -> Result<Option<String>, ApiError> {
        match value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
            Some(v) if v.chars().count() > MAX_FIELD_CHARS => {
                Err(invalid(format!("{name} is limited to {MAX_FIELD_CHARS} characters")))
            }
            other => Ok(other),
        }
    };
    let timezone = short("timezone", body.timezone)?;
    if let Some(name) = &timezone {
        name.parse::<Tz>()
            .map_err(|_| invalid(format!("unknown time zone {name:?}; use an IANA name such as Europe/Paris")))?;
    }
    let quiet_hours = match body.quiet_hours {
        Some(quiet) => {
            let time = |label: &str, text: &str| {
                NaiveTime::parse_from_str(text.trim(), "%H:%M")
                    .map(|t| t.format("%H:%M").to_string())
                    .map_err(|_| invalid(format!("quiet hours {label} must be a time like 20:00, got {text:?}")))
            };
            Some((time("start", &quiet.start)?, time("end", &quiet.end)?))
        }
        None => None,
    };
    if body.weekly_budget > MAX_WEEKLY_BUDGET {
        return Err(invalid(format!("weekly_budget must be at most {MAX_WEEKLY_BUDGET}")));
    }
    let email = short("email", body.contact.email)?;
    if email.as_deref().is_some_and(|e| !e.contains('@') || e.contains(char::is_whitespace)) {
        return Err(invalid("email must be an address like name@example.com".into()));
    }
    let phone = short("phone", body.contact.phone)?;
    if phone.as_deref().is_some_and(|p| !p.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))) {
        return Err(invalid("phone may hold digits, spaces and + - ( ) . only".into()));
    }
    Ok(Profile {
        member_id,
        expertise,
        expertise_embedding: None,
        team: short("team", body.team)?,
        site: short("site", body.site)?,
        timezone,
        quiet_hours,
        weekly_budget: body.weekly_budget,
        email,
        phone,
        updated_at: coagent_store::Timestamp::now(),
    })
}
