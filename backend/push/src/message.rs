//! What goes with a push message (TTL, urgency, topic), what the push service's answer means for
//! the outbox, and how long to wait before trying again.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

/// Largest plaintext payload sent: pushes carry a teaser, never the ask itself. Under the
/// 3052 bytes `web-push` encrypts at most, and far under what push services take (4096 encrypted).
pub const MAX_PAYLOAD_BYTES: usize = 3000;

/// First wait after a failed attempt; it doubles with each further attempt up to [`BACKOFF_CAP`].
const BACKOFF_BASE: Duration = Duration::from_secs(30);
const BACKOFF_CAP: Duration = Duration::from_secs(3600);
/// A push service asking for more than a day is not waited for longer than that.
const RETRY_AFTER_CAP: Duration = Duration::from_secs(24 * 3600);

/// RFC 8030 §5.3: how eagerly the push service should wake the device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    VeryLow,
    Low,
    #[default]
    Normal,
    High,
}

impl Urgency {
    /// The `Urgency` header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::VeryLow => "very-low",
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::High => "high",
        }
    }
}

impl fmt::Display for Urgency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Urgency {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Urgency::VeryLow, Urgency::Low, Urgency::Normal, Urgency::High]
            .into_iter()
            .find(|u| u.as_str() == s)
            .ok_or_else(|| format!("unknown urgency {s:?} (very-low, low, normal or high)"))
    }
}

/// How one message is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendOptions {
    /// How long the push service keeps the message for an offline device (`TTL` header, whole seconds).
    pub ttl: Duration,
    pub urgency: Urgency,
    /// A newer message with the same topic replaces an undelivered older one (≤ 32 base64url characters).
    pub topic: Option<String>,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self { ttl: Duration::from_secs(24 * 3600), urgency: Urgency::Normal, topic: None }
    }
}

/// What the push service made of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Delivery {
    /// Accepted (2xx); the push service delivers it from here.
    Delivered,
    /// Try again later: 408, 429, 5xx, or no answer at all. `after` is the service's `Retry-After`.
    Retry { after: Option<Duration>, reason: String },
    /// The subscription is dead (404, 410): delete it, never send to it again.
    Gone,
    /// Refused for good (other 4xx: 400 malformed, 401/403 VAPID, 413 too large): do not retry.
    Rejected { status: u16, message: String },
}

/// Reads the push service's status and `Retry-After` header.
pub(crate) fn classify(status: u16, retry_after: Option<&str>, message: String, now: SystemTime) -> Delivery {
    match status {
        200..=299 => Delivery::Delivered,
        404 | 410 => Delivery::Gone,
        408 | 429 | 500..=599 => Delivery::Retry {
            after: retry_after.and_then(|value| parse_retry_after(value, now)),
            reason: format!("push service answered {status}: {message}"),
        },
        _ => Delivery::Rejected { status, message },
    }
}

/// `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// How long to wait before attempt `attempt + 1`, after `attempt` failed ones (0 = the first failed):
/// 30 s, 1 min, 2 min, … up to 1 h. The push service's `Retry-After` wins when given (up to a day).
pub fn backoff(attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(after) = retry_after {
        return after.min(RETRY_AFTER_CAP);
    }
    match 1u32.checked_shl(attempt) {
        Some(factor) => BACKOFF_BASE.saturating_mul(factor).min(BACKOFF_CAP),
        None => BACKOFF_CAP,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        let waits: Vec<u64> = (0..9).map(|attempt| backoff(attempt, None).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(31, None), BACKOFF_CAP);
        assert_eq!(backoff(u32::MAX, None), BACKOFF_CAP);
    }

    #[test]
    fn retry_after_wins_over_backoff() {
        assert_eq!(backoff(5, Some(Duration::from_secs(7))), Duration::from_secs(7));
        assert_eq!(backoff(0, Some(Duration::ZERO)), Duration::ZERO);
        assert_eq!(backoff(0, Some(Duration::from_secs(9 * 24 * 3600))), RETRY_AFTER_CAP);
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_an_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn push_service_answers_are_classified() {
        let now = SystemTime::now();
        let class = |status, retry_after| classify(status, retry_after, "m".into(), now);
        assert_eq!(class(201, None), Delivery::Delivered);
        assert_eq!(class(202, None), Delivery::Delivered);
        assert_eq!(class(200, None), Delivery::Delivered);
        assert_eq!(class(410, None), Delivery::Gone);
        assert_eq!(class(404, None), Delivery::Gone);
        assert!(matches!(class(503, Some("7")), Delivery::Retry { after: Some(d), .. } if d.as_secs() == 7));
        assert!(matches!(class(429, None), Delivery::Retry { after: None, .. }));
        assert!(matches!(class(500, Some("junk")), Delivery::Retry { after: None, .. }));
        for status in [400, 401, 403, 413, 301] {
            assert_eq!(class(status, None), Delivery::Rejected { status, message: "m".into() });
        }
    }

    #[test]
    fn urgency_reads_and_writes_its_header_value() {
        for urgency in [Urgency::VeryLow, Urgency::Low, Urgency::Normal, Urgency::High] {
            assert_eq!(urgency.as_str().parse::<Urgency>(), Ok(urgency));
        }
        assert!("urgent".parse::<Urgency>().is_err());
    }
}
