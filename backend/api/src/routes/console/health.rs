//! Network health, week by week: how many asks, how many answered and how fast, how answers
//! were rated, how often an ask led to a direct contact. Computed from the database on each
//! request (the arithmetic is in `math`).

mod math;

pub(crate) use math::week_start;

use axum::extract::{Query, State};
use axum::Json;
use coagent_store::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::math::{weekly, Stats, WEEK_MS};
use crate::auth::Concierge;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::rfc3339;

const DEFAULT_WEEKS: u32 = 12;
/// Two years: enough for a trend, small enough for one query.
const MAX_WEEKS: u32 = 104;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HealthParams {
    /// How many ISO weeks, the current one last (default 12, at most 104).
    weeks: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeekView {
    /// The week's Monday (UTC), `YYYY-MM-DD`.
    pub week_start: String,
    #[serde(flatten)]
    pub stats: Stats,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthView {
    /// Oldest first; weeks without asks are present, with zeros and nulls.
    pub weeks: Vec<WeekView>,
    /// All the weeks together.
    pub totals: Stats,
}

/// Network health per ISO week (by the week each ask was made), and over the whole period.
#[utoipa::path(get, path = "/api/v1/console/health", params(HealthParams), tag = "console",
    responses((status = 200, body = HealthView), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn health(
    State(state): State<AppState>,
    Concierge(_): Concierge,
    Query(params): Query<HealthParams>,
) -> Result<Json<HealthView>, ApiError> {
    let weeks = params.weeks.unwrap_or(DEFAULT_WEEKS);
    if !(1..=MAX_WEEKS).contains(&weeks) {
        return Err(ApiError::InvalidInput(format!("weeks must be from 1 to {MAX_WEEKS}")));
    }
    let this_week = week_start(Timestamp::now()).as_millis();
    let first_week = Timestamp::from_millis(this_week - i64::from(weeks - 1) * WEEK_MS);
    let facts = state.store.ask_facts(first_week, Timestamp::from_millis(this_week + WEEK_MS)).await?;
    let (per_week, totals) = weekly(&facts, first_week, weeks);
    let weeks = per_week
        .into_iter()
        .map(|(start, stats)| WeekView { week_start: rfc3339(start)[..10].to_owned(), stats })
        .collect();
    Ok(Json(HealthView { weeks, totals }))
}
