//! The store counts milliseconds; matching reasons in chrono's UTC times.

use std::time::Duration;

use chrono::{DateTime, Utc};
use coagent_store::Timestamp;

/// The budget period: a peer's weekly budget counts requests of the last seven days.
pub const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);

pub fn to_utc(timestamp: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(timestamp.as_millis()).unwrap_or_default()
}

pub fn from_utc(time: DateTime<Utc>) -> Timestamp {
    Timestamp::from_millis(time.timestamp_millis())
}

/// `now` minus a duration, never before the epoch.
pub fn before(now: Timestamp, duration: Duration) -> Timestamp {
    let millis = i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
    Timestamp::from_millis(now.as_millis().saturating_sub(millis).max(0))
}
