//! Timestamps as integer milliseconds since the Unix epoch: the one representation that
//! SQLite and PostgreSQL store and compare identically.

use std::fmt;
use std::ops::Add;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time, in milliseconds since the Unix epoch (UTC).
///
/// Operations that check expiry take `now` as an argument instead of reading the clock, so
/// tests (and a server that wants one consistent "now" per request) decide what time it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_millis(millis: i64) -> Self {
        Self(millis)
    }

    pub fn now() -> Self {
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        Self(duration_millis(since_epoch))
    }

    pub const fn as_millis(self) -> i64 {
        self.0
    }
}

impl Add<Duration> for Timestamp {
    type Output = Timestamp;

    fn add(self, rhs: Duration) -> Timestamp {
        Timestamp(self.0.saturating_add(duration_millis(rhs)))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

/// Saturates instead of wrapping: a ttl of `Duration::MAX` means "never" rather than the past.
fn duration_millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_a_duration_moves_forward_by_its_milliseconds() {
        assert_eq!(Timestamp::from_millis(1_000) + Duration::from_secs(2), Timestamp::from_millis(3_000));
    }

    #[test]
    fn an_enormous_duration_saturates_instead_of_wrapping_into_the_past() {
        let later = Timestamp::from_millis(1) + Duration::MAX;
        assert_eq!(later, Timestamp::from_millis(i64::MAX));
    }

    #[test]
    fn now_is_after_the_year_2020() {
        assert!(Timestamp::now() > Timestamp::from_millis(1_577_836_800_000));
    }
}
