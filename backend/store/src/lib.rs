//! The only crate with SQL: members, invites, sessions, recordings (with their audio files on
//! disk), asks and the durable job queue, on SQLite by default or PostgreSQL.
//!
//! The store is a small enum over sqlx's native `SqlitePool` and `PgPool` rather than the `Any`
//! driver, because `Any` hides what each backend does best (`BEGIN IMMEDIATE`, `FOR UPDATE SKIP
//! LOCKED`, native bool and bigint decoding) and has type gaps on SQLite. Queries are written
//! once in SQL that both accept (`$1` placeholders work on SQLite too) and run on either pool
//! through the `with_pool!` macro; the few that must differ say so where they branch.

mod db;
mod error;
mod ids;
mod labels;
mod secret;
mod time;

mod asks;
mod audio;
mod invites;
mod jobs;
mod members;
mod recordings;
mod sessions;

pub use asks::{Ask, AskCard, AskStatus, CardEdits};
pub use audio::AudioStore;
pub use db::{Backend, Store};
pub use error::StoreError;
pub use ids::{AskId, InvalidId, InviteId, JobId, MemberId, RecordingId};
pub use invites::Invite;
pub use jobs::{Job, JobStatus};
pub use members::{Member, Role};
pub use recordings::{Recording, RecordingPurpose, RecordingStatus};
pub use secret::{InviteCode, SessionToken};
pub use sessions::Session;
pub use time::Timestamp;

/// The store re-exports the card types it persists so callers need not name the domain crate.
pub use coagent_domain::{CardSource, ProblemCard};
