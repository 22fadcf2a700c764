//! Members of the network: who they are and what role they hold.

use sqlx::query::Query;
use sqlx::{Encode, Type};
use tracing::instrument;

use crate::db::with_pool;
use crate::labels::text_enum;
use crate::{MemberId, Store, StoreError, Timestamp};

text_enum!(
    /// What a member may do beyond asking and answering.
    Role {
        /// Asks and answers (every member does; the design calls askers "managers").
        Manager = "manager",
        /// Also watches over the network from the console: reviews, routes, invites.
        Concierge = "concierge",
    }
);

/// A person in the network.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    /// Inactive members keep their history but can no longer sign in.
    pub active: bool,
    pub created_at: Timestamp,
}

macro_rules! member_columns {
    () => {
        "id, name, role, active, created_at"
    };
}

/// The INSERT for a new member, bound and ready to run on a pool or inside a transaction.
pub(crate) fn insert_member<'q, DB>(member: &'q Member) -> Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    DB: sqlx::Database,
    String: Encode<'q, DB> + Type<DB>,
    &'q str: Encode<'q, DB> + Type<DB>,
    bool: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
{
    const SQL: &str = concat!("INSERT INTO members (", member_columns!(), ") VALUES ($1, $2, $3, $4, $5)");
    sqlx::query(SQL)
        .bind(member.id.to_db())
        .bind(member.name.as_str())
        .bind(member.role.as_str())
        .bind(member.active)
        .bind(member.created_at.as_millis())
}

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    id: String,
    name: String,
    role: String,
    active: bool,
    created_at: i64,
}

impl TryFrom<MemberRow> for Member {
    type Error = StoreError;

    fn try_from(row: MemberRow) -> Result<Member, StoreError> {
        Ok(Member {
            id: MemberId::from_db(&row.id)?,
            name: row.name,
            role: Role::from_db(&row.role)?,
            active: row.active,
            created_at: Timestamp::from_millis(row.created_at),
        })
    }
}

impl Member {
    pub(crate) fn new(name: &str, role: Role) -> Member {
        Member { id: MemberId::random(), name: name.to_owned(), role, active: true, created_at: Timestamp::now() }
    }
}

impl Store {
    /// Adds a member directly, without an invite (first concierge, imports, tests).
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn create_member(&self, name: &str, role: Role) -> Result<Member, StoreError> {
        let member = Member::new(name, role);
        with_pool!(self, pool => insert_member(&member).execute(pool).await?.rows_affected());
        Ok(member)
    }

    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_member(&self, id: MemberId) -> Result<Member, StoreError> {
        const SQL: &str = concat!("SELECT ", member_columns!(), " FROM members WHERE id = $1");
        let row: MemberRow = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(id.to_db()).fetch_one(pool).await?
        });
        row.try_into()
    }

    /// Every member, oldest first (the console's directory).
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn list_members(&self) -> Result<Vec<Member>, StoreError> {
        const SQL: &str = concat!("SELECT ", member_columns!(), " FROM members ORDER BY created_at, id");
        let rows: Vec<MemberRow> = with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await?);
        rows.into_iter().map(Member::try_from).collect()
    }

    /// Deactivating a member also ends their sessions at the next token check.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn set_member_active(&self, id: MemberId, active: bool) -> Result<Member, StoreError> {
        const SQL: &str = concat!("UPDATE members SET active = $2 WHERE id = $1 RETURNING ", member_columns!());
        let row: MemberRow = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(id.to_db()).bind(active).fetch_one(pool).await?
        });
        row.try_into()
    }
}

/// How much a member is asked: what the console shows beside their profile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberLoad {
    /// Requests waiting for them (withdrawn ones left out).
    pub open_requests: u32,
    /// Requests made since the start of the week (withdrawn or not: they were asked).
    pub asked_this_week: u32,
    pub answered: u32,
    pub passed: u32,
}

impl Store {
    /// Every member's load, in one query; members never asked are absent (their load is zero).
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn member_loads(&self, week_start: Timestamp) -> Result<Vec<(MemberId, MemberLoad)>, StoreError> {
        const SQL: &str = "SELECT member_id, \
             SUM(CASE WHEN state = 'open' AND withdrawn_at IS NULL THEN 1 ELSE 0 END), \
             SUM(CASE WHEN asked_at >= $1 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN state = 'answered' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN state = 'passed' THEN 1 ELSE 0 END) \
             FROM ask_requests GROUP BY member_id ORDER BY member_id";
        let rows: Vec<(String, i64, i64, i64, i64)> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(week_start.as_millis()).fetch_all(pool).await?);
        let count = |value: i64| u32::try_from(value).unwrap_or(u32::MAX);
        rows.into_iter()
            .map(|(member_id, open, this_week, answered, passed)| {
                let load = MemberLoad {
                    open_requests: count(open),
                    asked_this_week: count(this_week),
                    answered: count(answered),
                    passed: count(passed),
                };
                Ok((MemberId::from_db(&member_id)?, load))
            })
            .collect()
    }
}
