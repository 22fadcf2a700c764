//! Invites: single-use codes that expire, and their redemption into a new member.

use std::time::Duration;

use tracing::instrument;

use crate::db::{with_pool, BeginWrite as _};
use crate::members::insert_member;
use crate::{InviteCode, InviteId, Member, MemberId, Role, Store, StoreError, Timestamp};

/// An invitation as the console sees it. The code itself is never stored, so it is not here.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Invite {
    pub id: InviteId,
    /// The role and name the new member will get.
    pub role: Role,
    pub name: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    /// The member this invite created, once used.
    pub member_id: Option<MemberId>,
}

#[derive(sqlx::FromRow)]
struct InviteRow {
    id: String,
    role: String,
    name: String,
    created_at: i64,
    expires_at: i64,
    used_at: Option<i64>,
    member_id: Option<String>,
}

impl TryFrom<InviteRow> for Invite {
    type Error = StoreError;

    fn try_from(row: InviteRow) -> Result<Invite, StoreError> {
        Ok(Invite {
            id: InviteId::from_db(&row.id)?,
            role: Role::from_db(&row.role)?,
            name: row.name,
            created_at: Timestamp::from_millis(row.created_at),
            expires_at: Timestamp::from_millis(row.expires_at),
            used_at: row.used_at.map(Timestamp::from_millis),
            member_id: row.member_id.as_deref().map(MemberId::from_db).transpose()?,
        })
    }
}

macro_rules! invite_columns {
    () => {
        "id, role, name, created_at, expires_at, used_at, member_id"
    };
}

impl Store {
    /// Creates an invite valid for `ttl` and returns its code, which exists only in this
    /// return value: hand it to the invitee (a link) and let it go.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn create_invite(
        &self,
        role: Role,
        name: &str,
        ttl: Duration,
    ) -> Result<(InviteCode, Invite), StoreError> {
        let code = InviteCode::generate();
        let now = Timestamp::now();
        let invite = Invite {
            id: InviteId::random(),
            role,
            name: name.to_owned(),
            created_at: now,
            expires_at: now + ttl,
            used_at: None,
            member_id: None,
        };
        const SQL: &str = concat!(
            "INSERT INTO invites (code_hash, ",
            invite_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)"
        );
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(code.hash())
                .bind(invite.id.to_db())
                .bind(invite.role.as_str())
                .bind(&invite.name)
                .bind(invite.created_at.as_millis())
                .bind(invite.expires_at.as_millis())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok((code, invite))
    }

    /// Uses up an invite and creates its member, atomically: of two concurrent redeems of one
    /// code exactly one gets the member, the other `InviteUsed`.
    #[instrument(skip(self, code), err(level = "debug"))]
    pub async fn redeem_invite(&self, code: &InviteCode, now: Timestamp) -> Result<Member, StoreError> {
        const FIND: &str = concat!("SELECT ", invite_columns!(), " FROM invites WHERE code_hash = $1");
        // The `used_at IS NULL` guard is what makes it single-use on PostgreSQL: a concurrent
        // redeem that read the row before we committed blocks here, then re-checks the
        // condition, matches nothing and rolls its member back. On SQLite the write lock
        // taken by `begin_write` already serializes redeems.
        const MARK_USED: &str = "UPDATE invites SET used_at = $2, member_id = $3 WHERE id = $1 AND used_at IS NULL";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<InviteRow> =
                sqlx::query_as(FIND).bind(code.hash()).fetch_optional(&mut *tx).await?;
            let invite = Invite::try_from(row.ok_or(StoreError::InviteUnknown)?)?;
            if invite.used_at.is_some() {
                return Err(StoreError::InviteUsed);
            }
            if invite.expires_at <= now {
                return Err(StoreError::InviteExpired);
            }
            let member = Member::new(&invite.name, invite.role);
            insert_member(&member).execute(&mut *tx).await?;
            let marked = sqlx::query(MARK_USED)
                .bind(invite.id.to_db())
                .bind(now.as_millis())
                .bind(member.id.to_db())
                .execute(&mut *tx)
                .await?;
            if marked.rows_affected() == 0 {
                return Err(StoreError::InviteUsed); // dropping `tx` rolls the member back
            }
            tx.commit().await?;
            Ok(member)
        })
    }

    /// Invites not yet used, newest first, expired ones included (the console shows them).
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn list_unused_invites(&self) -> Result<Vec<Invite>, StoreError> {
        const SQL: &str =
            concat!("SELECT ", invite_columns!(), " FROM invites WHERE used_at IS NULL ORDER BY created_at DESC, id");
        let rows: Vec<InviteRow> = with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await?);
        rows.into_iter().map(Invite::try_from).collect()
    }
}
