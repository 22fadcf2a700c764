//! The only crate with SQL: members and their profiles, invites, sessions, recordings (with
//! their audio files on disk), asks, requests, answers, digests, push subscriptions and the
//! durable job queue, on SQLite by default or PostgreSQL.
//!
//! The store is a small enum over sqlx's native `SqlitePool` and `PgPool` rather than the `Any`
//! driver, because `Any` hides what each backend does best (`BEGIN IMMEDIATE`, `FOR UPDATE SKIP
//! LOCKED`, native bool and bigint decoding) and has type gaps on SQLite. Queries are written
//! once in SQL that both accept (`$1` placeholders work on SQLite too) and run on either pool
//! through the `with_pool!` macro; the few that must differ say so where they branch.

mod db;
mod embedding;
mod error;
mod ids;
mod labels;
mod secret;
mod time;

mod answers;
mod asks;
mod audio;
mod audit;
mod console_queue;
mod contacts;
mod digests;
mod health;
mod invites;
mod jobs;
mod members;
mod profiles;
mod recordings;
mod requests;
mod sessions;
mod subscriptions;

pub use answers::{Answer, AnswerVia, NewAnswer, PastAnswer};
pub use asks::{Ask, AskCard, AskStatus, CardEdits, EmbeddedAsk};
pub use audio::AudioStore;
pub use audit::{AuditEntry, AuditQuery, NewAuditEntry};
pub use console_queue::{Queue, QueueCounts, QueueEntry, QueueQuery, QueueState, MAX_AMONG, TRANSCRIPT_START_CHARS};
pub use contacts::{Contact, ContactChannel};
pub use db::{Backend, Store};
pub use digests::{DigestPoint, StoredDigest};
pub use error::StoreError;
pub use health::AskFacts;
pub use ids::{AnswerId, AskId, AuditId, ContactId, InvalidId, InviteId, JobId, MemberId, RecordingId, SubscriptionId};
pub use invites::Invite;
pub use jobs::{Job, JobStatus};
pub use members::{Member, MemberLoad, Role};
pub use profiles::{Profile, DEFAULT_WEEKLY_BUDGET};
pub use recordings::{Recording, RecordingPurpose, RecordingStatus};
pub use requests::{AskRequest, InboxItem, NewRequest, RequestState};
pub use secret::{InviteCode, SessionToken};
pub use sessions::Session;
pub use subscriptions::PushSubscriptionRecord;
pub use time::Timestamp;

/// Timed transcript stretches, stored for asks and answers that were spoken.
pub use coagent_domain::Segment;
/// The store re-exports the card types it persists so callers need not name the domain crate.
pub use coagent_domain::{CardSource, ProblemCard};
