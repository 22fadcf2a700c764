//! The numbers of one round: when each stream starts and sends its frames, and the table row
//! its outcomes make. Pure, so the schedule and the percentiles are tested without a server.

use std::time::Duration;

/// 100 ms frames, as the PWA sends them.
pub const FRAME: Duration = Duration::from_millis(100);

/// Stream `index` of `count` starts this long after the round: evenly over `spread`, so the
/// streams' decoding passes do not all fall on the same instants.
pub fn start_offset(index: usize, count: usize, spread: Duration) -> Duration {
    spread.mul_f64(index as f64 / count.max(1) as f64)
}

/// When frame `index` is sent, from the moment its stream's speech begins: once its audio has
/// been spoken, as a microphone delivers it. The last frame may be shorter than `FRAME`.
pub fn frame_due(index: usize, audio: Duration) -> Duration {
    (FRAME * (index as u32 + 1)).min(audio)
}

/// What one stream saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Seconds each partial arrived behind the speaker: time since the speech began minus the
    /// audio the partial reflects.
    pub partial_lags: Vec<f64>,
    /// Whether all the audio and `stop` were sent (an error before that came mid-dictation).
    pub stopped: bool,
    /// From `stop` (the end of speech) to the final transcript: the card's first part.
    pub transcript_latency: Option<Duration>,
    /// From `stop` (the end of speech) to the card, for a stream that got one.
    pub card_latency: Option<Duration>,
    /// The first `error` code the server sent, or what went wrong on the client side.
    pub error: Option<String>,
}

impl Outcome {
    /// Held: no error and a card, which is what a person dictating in the PWA would call success
    /// (the PWA gives up on the live stream at the first error, `busy` included).
    pub fn held(&self) -> bool {
        self.error.is_none() && self.card_latency.is_some()
    }
}

/// The nearest-rank percentile (`p` in 0..=100) of values in any order; `None` when empty.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied()
}

/// For the progress line: the median time from stop to the final transcript, of held streams.
pub fn transcript_p50(outcomes: &[Outcome]) -> Option<f64> {
    let latencies: Vec<f64> = outcomes
        .iter()
        .filter(|outcome| outcome.held())
        .filter_map(|outcome| outcome.transcript_latency)
        .map(|latency| latency.as_secs_f64())
        .collect();
    percentile(&latencies, 50.0)
}

/// For the progress line: how many streams were told `busy` only after they sent `stop`.
pub fn busy_after_stop(outcomes: &[Outcome]) -> usize {
    outcomes.iter().filter(|outcome| outcome.stopped && outcome.error.as_deref() == Some("busy")).count()
}

/// One Markdown row: `| streams | held | lag p50 | p95 | card p50 | p95 | busy/errors |`.
pub fn row(outcomes: &[Outcome]) -> String {
    let held: Vec<&Outcome> = outcomes.iter().filter(|outcome| outcome.held()).collect();
    let lags: Vec<f64> = outcomes.iter().flat_map(|outcome| outcome.partial_lags.iter().copied()).collect();
    let cards: Vec<f64> =
        held.iter().filter_map(|outcome| outcome.card_latency).map(|latency| latency.as_secs_f64()).collect();
    let seconds = |value: Option<f64>| value.map_or("–".to_owned(), |value| format!("{value:.1} s"));
    format!(
        "| {} | {}/{} | {} | {} | {} | {} | {} |",
        outcomes.len(),
        held.len(),
        outcomes.len(),
        seconds(percentile(&lags, 50.0)),
        seconds(percentile(&lags, 95.0)),
        seconds(percentile(&cards, 50.0)),
        seconds(percentile(&cards, 95.0)),
        failures(outcomes),
    )
}

/// `0`, or how many streams were refused as busy and how many failed otherwise (with why).
fn failures(outcomes: &[Outcome]) -> String {
    let errors: Vec<&str> = outcomes.iter().filter_map(|outcome| outcome.error.as_deref()).collect();
    let busy = errors.iter().filter(|code| **code == "busy").count();
    let mut others: Vec<&str> = errors.iter().copied().filter(|code| *code != "busy").collect();
    others.sort_unstable();
    others.dedup();
    let other_count = errors.len() - busy;
    // A stream with neither error nor card cannot happen (the client waits for one or the
    // other, with a time limit that is itself an error), so the columns add up.
    match (busy, other_count) {
        (0, 0) => "0".to_owned(),
        (busy, 0) => format!("{busy} busy"),
        (0, other) => format!("{other} failed ({})", others.join(", ")),
        (busy, other) => format!("{busy} busy, {other} failed ({})", others.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let values: Vec<f64> = (1..=20).rev().map(f64::from).collect();
        assert_eq!(percentile(&values, 50.0), Some(10.0));
        assert_eq!(percentile(&values, 95.0), Some(19.0));
        assert_eq!(percentile(&values, 100.0), Some(20.0));
        assert_eq!(percentile(&[3.5], 95.0), Some(3.5));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn streams_start_evenly_over_the_spread_and_the_first_at_once() {
        let spread = Duration::from_secs(1);
        let offsets: Vec<Duration> = (0..4).map(|index| start_offset(index, 4, spread)).collect();
        assert_eq!(offsets, [0, 250, 500, 750].map(Duration::from_millis));
        assert_eq!(start_offset(0, 1, spread), Duration::ZERO);
    }

    #[test]
    fn each_frame_is_sent_once_its_audio_has_been_spoken() {
        let audio = Duration::from_millis(250);
        let due: Vec<Duration> = (0..3).map(|index| frame_due(index, audio)).collect();
        assert_eq!(due, [100, 200, 250].map(Duration::from_millis));
    }

    #[test]
    fn a_row_counts_busy_streams_as_not_held_and_names_other_errors() {
        let held = |lag: f64, card: u64| Outcome {
            partial_lags: vec![lag],
            card_latency: Some(Duration::from_secs(card)),
            ..Outcome::default()
        };
        let failed = |code: &str| Outcome { error: Some(code.to_owned()), ..Outcome::default() };
        let outcomes = [held(0.5, 4), held(1.5, 6), failed("busy"), failed("busy"), failed("timeout")];
        assert_eq!(row(&outcomes), "| 5 | 2/5 | 0.5 s | 1.5 s | 4.0 s | 6.0 s | 2 busy, 1 failed (timeout) |");
        assert_eq!(row(&[failed("busy")]), "| 1 | 0/1 | – | – | – | – | 1 busy |");
    }
}
