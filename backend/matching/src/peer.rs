//! What matching knows about a member, and about the ask being routed.

use chrono::{DateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A confirmed ask, as matching sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct AskToMatch {
    pub asker_id: String,
    pub asker_team: Option<String>,
    pub asker_site: Option<String>,
    /// The embedding of the confirmed card.
    pub embedding: Vec<f32>,
}

/// A member who could be asked, with what the store knows of them right now.
#[derive(Debug, Clone, PartialEq)]
pub struct Peer {
    pub member_id: String,
    pub team: Option<String>,
    pub site: Option<String>,
    /// Their own time zone, in which quiet hours are read; UTC when unknown.
    pub timezone: Option<Tz>,
    pub quiet_hours: Option<QuietHours>,
    /// Requests they accept per week; 0 means never ask them.
    pub weekly_budget: u32,
    /// Requests already sent to them this week (the caller decides where a week starts).
    pub requests_this_week: u32,
    /// Requests sent to them that they have neither answered nor passed.
    pub open_requests: u32,
    /// How long they usually take to answer; `None` when they have no history yet.
    pub median_response: Option<TimeDelta>,
    /// The embedding of the expertise they describe in their profile.
    pub expertise: Option<Vec<f32>>,
    /// Asks they answered before, with the asker's rating of their answer.
    pub answered: Vec<PastAnswer>,
    pub active: bool,
}

/// An ask this peer answered before.
#[derive(Debug, Clone, PartialEq)]
pub struct PastAnswer {
    /// The embedding of that ask's card.
    pub embedding: Vec<f32>,
    pub rating: Rating,
}

/// The asker's rating of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Helpful,
    NotHelpful,
    Unrated,
}

/// A daily window, in the member's own time zone, when they are not to be asked.
///
/// `start` is included and `end` is not. A window whose start is after its end wraps midnight
/// (20:00–08:00). A window whose start equals its end is empty: a member who never wants to be
/// asked sets a weekly budget of 0 instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    pub fn contains(&self, time: NaiveTime) -> bool {
        if self.start <= self.end {
            self.start <= time && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }
}

impl Peer {
    /// When their quiet hours end, if they are in them at `now`; `None` when they may be asked.
    pub fn quiet_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let quiet = self.quiet_hours?;
        let zone = self.timezone.unwrap_or(Tz::UTC);
        let local = now.with_timezone(&zone);
        if !quiet.contains(local.time()) {
            return None;
        }
        // Past the start of a window that wraps midnight, it ends tomorrow morning.
        let date = if local.time() < quiet.end { Some(local.date_naive()) } else { local.date_naive().succ_opt() };
        let end = date.map(|date| date.and_time(quiet.end));
        // An end that a daylight-saving jump skips is reached an hour later at most: no zone jumps further.
        let resolved = end.and_then(|end| {
            zone.from_local_datetime(&end)
                .earliest()
                .or_else(|| zone.from_local_datetime(&(end + TimeDelta::hours(1))).earliest())
        });
        Some(resolved.map_or(now + TimeDelta::hours(1), |end| end.with_timezone(&Utc)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{at, peer};

    fn hm(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    fn evenings() -> QuietHours {
        QuietHours { start: hm(20, 0), end: hm(8, 0) }
    }

    #[test]
    fn quiet_hours_that_wrap_midnight_cover_the_evening_and_the_small_hours() {
        let quiet = evenings();
        assert!(quiet.contains(hm(20, 0)));
        assert!(quiet.contains(hm(23, 59)));
        assert!(quiet.contains(hm(0, 0)));
        assert!(quiet.contains(hm(7, 59)));
        assert!(!quiet.contains(hm(8, 0)));
        assert!(!quiet.contains(hm(12, 0)));
        assert!(!quiet.contains(hm(19, 59)));
    }

    #[test]
    fn quiet_hours_within_one_day_include_their_start_and_not_their_end() {
        let lunch = QuietHours { start: hm(12, 0), end: hm(14, 0) };
        assert!(!lunch.contains(hm(11, 59)));
        assert!(lunch.contains(hm(12, 0)));
        assert!(lunch.contains(hm(13, 59)));
        assert!(!lunch.contains(hm(14, 0)));
    }

    #[test]
    fn an_empty_quiet_window_never_applies() {
        let empty = QuietHours { start: hm(9, 0), end: hm(9, 0) };
        assert!(!empty.contains(hm(9, 0)));
        assert!(!empty.contains(hm(3, 0)));
    }

    #[test]
    fn quiet_hours_are_read_in_the_peers_own_time_zone() {
        let mut paris = peer("paris", &[1.0, 0.0]);
        paris.timezone = Some(Tz::Europe__Paris);
        paris.quiet_hours = Some(evenings());
        // 19:30 UTC in July is 21:30 in Paris (UTC+2).
        let now = at("2025-07-01T19:30:00Z");
        assert_eq!(paris.quiet_until(now), Some(at("2025-07-02T06:00:00Z")));

        let mut london_time = paris.clone();
        london_time.timezone = None;
        assert_eq!(london_time.quiet_until(now), None, "19:30 in UTC is before 20:00");
    }

    #[test]
    fn quiet_hours_after_midnight_end_the_same_morning() {
        let mut tokyo = peer("tokyo", &[1.0, 0.0]);
        tokyo.timezone = Some(Tz::Asia__Tokyo);
        tokyo.quiet_hours = Some(evenings());
        // 17:00 UTC is 02:00 the next day in Tokyo (UTC+9): quiet until 08:00 there, 23:00 UTC.
        assert_eq!(tokyo.quiet_until(at("2025-01-10T17:00:00Z")), Some(at("2025-01-10T23:00:00Z")));
    }

    #[test]
    fn quiet_hours_ending_in_a_daylight_saving_gap_end_just_after_it() {
        let mut paris = peer("paris", &[1.0, 0.0]);
        paris.timezone = Some(Tz::Europe__Paris);
        // 02:30 does not exist in Paris on 30 March 2025: clocks jump from 02:00 to 03:00.
        paris.quiet_hours = Some(QuietHours { start: hm(22, 0), end: hm(2, 30) });
        let until = paris.quiet_until(at("2025-03-29T23:00:00Z")).unwrap();
        assert_eq!(until, at("2025-03-30T01:30:00Z"), "03:30 summer time, the first instant past the gap");
    }
}
