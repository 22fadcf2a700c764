//! One error type for every store operation, with the cases callers branch on (conflict, not
//! found, the invite outcomes, invalid transitions) kept apart from infrastructure failures.

use crate::asks::AskStatus;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist, or is not visible to the member asking for it.
    #[error("not found")]
    NotFound,
    /// A unique constraint was violated; the text names what clashed.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input breaks a rule of the data model (a bug in the caller, not a conflict).
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("unknown invite code")]
    InviteUnknown,
    #[error("this invite code has already been used")]
    InviteUsed,
    #[error("this invite code has expired")]
    InviteExpired,
    #[error("an ask cannot go from {from} to {to}")]
    InvalidTransition { from: AskStatus, to: AskStatus },
    /// Only drafts may be edited; what the asker confirmed is what peers see.
    #[error("the ask is {0}, only drafts can be changed")]
    AskNotDraft(AskStatus),
    #[error("the ask has no card yet, so there is nothing to confirm")]
    AskHasNoCard,
    #[error("the recording is finished and takes no more audio")]
    RecordingFinished,
    /// Retention deleted the recording's audio file (its transcript stays).
    #[error("the recording's audio was deleted after the retention period")]
    AudioDeleted,
    /// The job was reclaimed by another worker after this one's lease ran out.
    #[error("the job's lease was lost to another claim")]
    LeaseLost,
    #[error("unsupported database URL (expected sqlite:… or postgres://…): {0}")]
    UnsupportedUrl(String),
    /// Data that breaks the store's own invariants: a bug or outside tampering, never user input.
    #[error("inconsistent stored data: {0}")]
    Corrupt(String),
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("database migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("audio file error")]
    Io(#[from] std::io::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                // PostgreSQL names the constraint; SQLite only says so in its message.
                let what = db.constraint().map(str::to_owned).unwrap_or_else(|| db.message().to_owned());
                StoreError::Conflict(what)
            }
            // Every reference in the schema points at a row the caller named (a member, an
            // ask, a recording), so a missing parent is that row not being found.
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            other => StoreError::Database(other),
        }
    }
}
