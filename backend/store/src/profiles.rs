//! Profiles: what a member offers (expertise and its embedding), where they sit (team, site),
//! when they may be asked (time zone, quiet hours, weekly budget) and how to reach them.

use tracing::instrument;

use crate::db::with_pool;
use crate::embedding::{embedding_from_db, embedding_to_db};
use crate::{MemberId, Store, StoreError, Timestamp};

/// How many requests a member takes per week unless they say otherwise.
pub const DEFAULT_WEEKLY_BUDGET: u32 = 2;

/// A member's profile. Members who never wrote one have `Profile::empty`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Profile {
    pub member_id: MemberId,
    pub expertise: String,
    /// The embedding of `expertise`; `None` until it has been computed (or when it is empty).
    #[serde(skip)]
    pub expertise_embedding: Option<Vec<f32>>,
    pub team: Option<String>,
    pub site: Option<String>,
    /// IANA name, e.g. "Europe/Paris"; validated by the caller.
    pub timezone: Option<String>,
    /// Local "HH:MM" start and end; the window may wrap midnight.
    pub quiet_hours: Option<(String, String)>,
    pub weekly_budget: u32,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub updated_at: Timestamp,
}

impl Profile {
    pub fn empty(member_id: MemberId) -> Profile {
        Profile {
            member_id,
            expertise: String::new(),
            expertise_embedding: None,
            team: None,
            site: None,
            timezone: None,
            quiet_hours: None,
            weekly_budget: DEFAULT_WEEKLY_BUDGET,
            email: None,
            phone: None,
            updated_at: Timestamp::from_millis(0),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ProfileRow {
    member_id: String,
    expertise: String,
    expertise_embedding: Option<String>,
    team: Option<String>,
    site: Option<String>,
    timezone: Option<String>,
    quiet_start: Option<String>,
    quiet_end: Option<String>,
    weekly_budget: i64,
    email: Option<String>,
    phone: Option<String>,
    updated_at: i64,
}

macro_rules! profile_columns {
    () => {
        "member_id, expertise, expertise_embedding, team, site, timezone, quiet_start, quiet_end, weekly_budget, \
         email, phone, updated_at"
    };
}

impl Store {
    /// A member's profile, or the empty one if they never wrote it.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_profile(&self, member_id: MemberId) -> Result<Profile, StoreError> {
        const SQL: &str = concat!("SELECT ", profile_columns!(), " FROM profiles WHERE member_id = $1");
        let row: Option<ProfileRow> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(member_id.to_db()).fetch_optional(pool).await?);
        match row {
            Some(row) => row.try_into(),
            None => {
                self.get_member(member_id).await?; // NotFound for an unknown member
                Ok(Profile::empty(member_id))
            }
        }
    }

    /// Every written profile (matching reads them all at once).
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn list_profiles(&self) -> Result<Vec<Profile>, StoreError> {
        const SQL: &str = concat!("SELECT ", profile_columns!(), " FROM profiles ORDER BY member_id");
        let rows: Vec<ProfileRow> = with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await?);
        rows.into_iter().map(Profile::try_from).collect()
    }

    /// Writes the whole profile. The caller passes the expertise's embedding with it, so the
    /// stored embedding always describes the stored text.
    #[instrument(skip(self, profile), fields(member = %profile.member_id), err(level = "debug"))]
    pub async fn put_profile(&self, profile: &Profile) -> Result<Profile, StoreError> {
        const SQL: &str = concat!(
            "INSERT INTO profiles (",
            profile_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ",
            "ON CONFLICT (member_id) DO UPDATE SET expertise = excluded.expertise, ",
            "expertise_embedding = excluded.expertise_embedding, team = excluded.team, site = excluded.site, ",
            "timezone = excluded.timezone, quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, ",
            "weekly_budget = excluded.weekly_budget, email = excluded.email, phone = excluded.phone, ",
            "updated_at = excluded.updated_at RETURNING ",
            profile_columns!()
        );
        let (quiet_start, quiet_end) = match &profile.quiet_hours {
            Some((start, end)) => (Some(start.as_str()), Some(end.as_str())),
            None => (None, None),
        };
        let row: ProfileRow = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(profile.member_id.to_db())
                .bind(&profile.expertise)
                .bind(profile.expertise_embedding.as_deref().map(embedding_to_db))
                .bind(profile.team.as_deref())
                .bind(profile.site.as_deref())
                .bind(profile.timezone.as_deref())
                .bind(quiet_start)
                .bind(quiet_end)
                .bind(i64::from(profile.weekly_budget))
                .bind(profile.email.as_deref())
                .bind(profile.phone.as_deref())
                .bind(Timestamp::now().as_millis())
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }
}

impl TryFrom<ProfileRow> for Profile {
    type Error = StoreError;

    fn try_from(row: ProfileRow) -> Result<Profile, StoreError> {
        Ok(Profile {
            member_id: MemberId::from_db(&row.member_id)?,
            expertise: row.expertise,
            expertise_embedding: row.expertise_embedding.as_deref().map(embedding_from_db).transpose()?,
            team: row.team,
            site: row.site,
            timezone: row.timezone,
            quiet_hours: row.quiet_start.zip(row.quiet_end),
            weekly_budget: u32::try_from(row.weekly_budget)
                .map_err(|_| StoreError::Corrupt(format!("weekly budget {}", row.weekly_budget)))?,
            email: row.email,
            phone: row.phone,
            updated_at: Timestamp::from_millis(row.updated_at),
        })
    }
}
