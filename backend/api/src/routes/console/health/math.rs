//! Network health as arithmetic: ISO weeks, shares, and first-answer times with median and
//! 90th percentile by nearest rank. Pure: the route fetches the facts and formats the result.

use coagent_store::{AskFacts, AskStatus, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

const DAY_MS: i64 = 24 * 3_600_000;
pub const WEEK_MS: i64 = 7 * DAY_MS;
const MINUTE_MS: f64 = 60_000.0;

/// One week's (or the whole period's) health.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Stats {
    /// Confirmed asks made (drafts never count).
    pub asks: u32,
    /// Share of asks with at least one answer.
    pub answered_share: Option<f64>,
    /// Minutes from the first peer asked to the first answer, over answered asks.
    pub first_answer_median_minutes: Option<f64>,
    pub first_answer_p90_minutes: Option<f64>,
    pub answers_per_ask: Option<f64>,
    /// Answers rated helpful, and not helpful, by their askers.
    pub helpful: u32,
    pub not_helpful: u32,
    /// helpful / rated; null when none was rated.
    pub helpful_share: Option<f64>,
    /// Share of asks that led to a direct contact.
    pub contact_share: Option<f64>,
}

/// The Monday, 00:00 UTC, that starts the ISO week of `at`.
pub fn week_start(at: Timestamp) -> Timestamp {
    let day = at.as_millis().div_euclid(DAY_MS);
    // Day 0, 1970-01-01, was a Thursday: three days after a Monday.
    let monday = day - (day + 3).rem_euclid(7);
    Timestamp::from_millis(monday * DAY_MS)
}

/// The health of each of the `weeks` weeks starting at `first_week` (a Monday), empty weeks
/// included, and of all of them together. Asks outside those weeks are ignored.
pub fn weekly(facts: &[AskFacts], first_week: Timestamp, weeks: u32) -> (Vec<(Timestamp, Stats)>, Stats) {
    let counted: Vec<&AskFacts> = facts.iter().filter(|ask| ask.status != AskStatus::Draft).collect();
    let starts = (0..i64::from(weeks)).map(|week| Timestamp::from_millis(first_week.as_millis() + week * WEEK_MS));
    let per_week = starts
        .map(|start| {
            let end = start.as_millis() + WEEK_MS;
            let in_week: Vec<&AskFacts> = counted
                .iter()
                .copied()
                .filter(|ask| (start.as_millis()..end).contains(&ask.created_at.as_millis()))
                .collect();
            (start, stats(&in_week))
        })
        .collect();
    let until = first_week.as_millis() + i64::from(weeks) * WEEK_MS;
    let in_period: Vec<&AskFacts> = counted
        .into_iter()
        .filter(|ask| (first_week.as_millis()..until).contains(&ask.created_at.as_millis()))
        .collect();
    (per_week, stats(&in_period))
}

/// The health of a set of asks.
pub fn stats(asks: &[&AskFacts]) -> Stats {
    let count = asks.len() as u32;
    let answered = asks.iter().filter(|ask| ask.answers > 0).count() as u32;
    let answers: u32 = asks.iter().map(|ask| ask.answers).sum();
    let helpful: u32 = asks.iter().map(|ask| ask.helpful).sum();
    let not_helpful: u32 = asks.iter().map(|ask| ask.not_helpful).sum();
    let contacted = asks.iter().filter(|ask| ask.contacts > 0).count() as u32;
    let mut waits: Vec<f64> = asks
        .iter()
        .filter(|ask| ask.answers > 0)
        .filter_map(|ask| Some(ask.first_answer_at?.as_millis() - ask.first_asked_at?.as_millis()))
        .map(|millis| millis as f64 / MINUTE_MS)
        .collect();
    waits.sort_by(f64::total_cmp);
    Stats {
        asks: count,
        answered_share: share(answered, count),
        first_answer_median_minutes: nearest_rank(&waits, 50),
        first_answer_p90_minutes: nearest_rank(&waits, 90),
        answers_per_ask: share(answers, count),
        helpful,
        not_helpful,
        helpful_share: share(helpful, helpful + not_helpful),
        contact_share: share(contacted, count),
    }
}

/// `part / whole`, or `None` when there is nothing to divide.
fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// The `percent`th percentile of sorted values by nearest rank: the value at rank
/// ⌈percent/100 × n⌉ (1-based), computed in integers so that 90% of 10 is rank 9 exactly.
pub fn nearest_rank(sorted: &[f64], percent: usize) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use coagent_store::AskId;

    use super::*;

    /// 2026-11-16, a Monday, 00:00 UTC.
    const MONDAY: i64 = 1_794_787_200_000;
    const MINUTE: i64 = 60_000;

    fn ask(created_at: i64, wait_minutes: Option<i64>, answers: u32) -> AskFacts {
        let asked = created_at + MINUTE;
        AskFacts {
            ask_id: "00000000-0000-4000-8000-000000000000".parse::<AskId>().unwrap(),
            status: AskStatus::Routed,
            created_at: Timestamp::from_millis(created_at),
            first_asked_at: Some(Timestamp::from_millis(asked)),
            first_answer_at: wait_minutes.map(|wait| Timestamp::from_millis(asked + wait * MINUTE)),
            answers,
            helpful: 0,
            not_helpful: 0,
            contacts: 0,
        }
    }

    #[test]
    fn the_week_of_any_moment_starts_on_its_monday_at_midnight_utc() {
        assert_eq!(crate::views::rfc3339(Timestamp::from_millis(MONDAY)), "2026-11-16T00:00:00.000Z");
        let sunday_night = Timestamp::from_millis(MONDAY + 7 * DAY_MS - 1);
        assert_eq!(week_start(sunday_night), Timestamp::from_millis(MONDAY));
        assert_eq!(week_start(Timestamp::from_millis(MONDAY)), Timestamp::from_millis(MONDAY));
        assert_eq!(week_start(Timestamp::from_millis(MONDAY - 1)), Timestamp::from_millis(MONDAY - WEEK_MS));
    }

    #[test]
    fn the_epoch_falls_in_the_week_of_monday_29_december_1969() {
        assert_eq!(week_start(Timestamp::from_millis(0)), Timestamp::from_millis(-3 * DAY_MS));
    }

    #[test]
    fn nearest_rank_takes_the_value_at_the_rounded_up_rank() {
        let values = [1.0, 2.0, 3.0, 4.0];
        // Median: ⌈0.5 × 4⌉ = 2nd value; p90: ⌈0.9 × 4⌉ = 4th.
        assert_eq!(nearest_rank(&values, 50), Some(2.0));
        assert_eq!(nearest_rank(&values, 90), Some(4.0));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(nearest_rank(&ten, 90), Some(9.0));
        assert_eq!(nearest_rank(&[7.0], 50), Some(7.0));
        assert_eq!(nearest_rank(&[], 50), None);
    }

    #[test]
    fn an_empty_week_has_zeros_and_nulls() {
        let (weeks, totals) = weekly(&[], Timestamp::from_millis(MONDAY), 2);
        assert_eq!(weeks.len(), 2);
        let empty = Stats {
            asks: 0,
            answered_share: None,
            first_answer_median_minutes: None,
            first_answer_p90_minutes: None,
            answers_per_ask: None,
            helpful: 0,
            not_helpful: 0,
            helpful_share: None,
            contact_share: None,
        };
        assert_eq!(weeks[1], (Timestamp::from_millis(MONDAY + WEEK_MS), empty.clone()));
        assert_eq!(totals, empty);
    }

    #[test]
    fn drafts_and_asks_outside_the_weeks_do_not_count() {
        let draft = AskFacts { status: AskStatus::Draft, ..ask(MONDAY + MINUTE, None, 0) };
        let before = ask(MONDAY - MINUTE, Some(5), 1);
        let after = ask(MONDAY + WEEK_MS, Some(5), 1);
        let inside = ask(MONDAY + DAY_MS, Some(10), 2);
        let (weeks, totals) = weekly(&[draft, before, after, inside], Timestamp::from_millis(MONDAY), 1);
        assert_eq!(weeks[0].1.asks, 1);
        assert_eq!(totals.asks, 1);
        assert_eq!(totals.first_answer_median_minutes, Some(10.0));
        assert_eq!(totals.answers_per_ask, Some(2.0));
    }

    #[test]
    fn unanswered_asks_lower_the_answered_share_but_not_the_answer_times() {
        let asks = [ask(MONDAY, Some(30), 1), ask(MONDAY, None, 0), ask(MONDAY, Some(90), 3), ask(MONDAY, None, 0)];
        let stats = stats(&asks.iter().collect::<Vec<_>>());
        assert_eq!(stats.answered_share, Some(0.5));
        assert_eq!(stats.answers_per_ask, Some(1.0));
        // Waits 30 and 90: median rank ⌈0.5 × 2⌉ = 1 → 30; p90 rank ⌈0.9 × 2⌉ = 2 → 90.
        assert_eq!(stats.first_answer_median_minutes, Some(30.0));
        assert_eq!(stats.first_answer_p90_minutes, Some(90.0));
    }

    #[test]
    fn the_helpful_share_counts_rated_answers_only() {
        let rated = AskFacts { helpful: 3, not_helpful: 1, contacts: 2, ..ask(MONDAY, Some(1), 6) };
        let stats = stats(&[&rated, &ask(MONDAY, None, 0)]);
        assert_eq!((stats.helpful, stats.not_helpful, stats.helpful_share), (3, 1, Some(0.75)));
        assert_eq!(stats.contact_share, Some(0.5));
    }
}
