//! How long ranking one ask takes against 1k, 10k and 100k members (`cargo bench -p coagent-matching`).
//!
//! Members are synthetic: a 384-dimension expertise embedding (the size of the embedder's) and
//! five answered asks each, drawn from a seeded generator, so every run measures the same work.
//! Prints a Markdown table of the median of several runs.

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use coagent_matching::{rank, AskToMatch, PastAnswer, Peer, Policy, QuietHours, Rating, Tz};

const DIMENSION: usize = 384;
const ANSWERS_PER_MEMBER: usize = 5;

/// SplitMix64: tiny, seeded, and good enough to spread synthetic members.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    /// Uniform in [-1, 1).
    fn signed(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }

    fn unit_vector(&mut self) -> Vec<f32> {
        let vector: Vec<f32> = (0..DIMENSION).map(|_| self.signed()).collect();
        let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        vector.into_iter().map(|x| x / norm).collect()
    }
}

fn population(size: usize, generator: &mut Generator) -> Vec<Peer> {
    const ZONES: [Tz; 4] = [Tz::Europe__Paris, Tz::America__New_York, Tz::Asia__Tokyo, Tz::UTC];
    const RATINGS: [Rating; 3] = [Rating::Helpful, Rating::Unrated, Rating::NotHelpful];
    let evenings = QuietHours {
        start: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
    };
    (0..size)
        .map(|n| Peer {
            member_id: format!("member-{n:06}"),
            team: Some(format!("team-{}", generator.below(50))),
            site: Some(format!("site-{}", generator.below(10))),
            timezone: Some(ZONES[generator.below(4) as usize]),
            quiet_hours: (generator.below(2) == 0).then_some(evenings),
            weekly_budget: generator.below(5) as u32 + 1,
            requests_this_week: generator.below(3) as u32,
            open_requests: generator.below(3) as u32,
            median_response: (generator.below(4) != 0).then(|| TimeDelta::minutes(generator.below(240) as i64 + 1)),
            expertise: Some(generator.unit_vector()),
            answered: (0..ANSWERS_PER_MEMBER)
                .map(|_| PastAnswer {
                    embedding: generator.unit_vector(),
                    rating: RATINGS[generator.below(3) as usize],
                })
                .collect(),
            active: generator.below(20) != 0,
        })
        .collect()
}

fn median_time(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let mut generator = Generator(2024);
    let ask = AskToMatch {
        asker_id: "member-000000".to_owned(),
        asker_team: Some("team-0".to_owned()),
        asker_site: Some("site-0".to_owned()),
        embedding: generator.unit_vector(),
    };
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2025-07-01T12:00:00Z").unwrap().with_timezone(&Utc);
    let policy = Policy::default();
    let already_asked = HashSet::new();

    println!("| members | rank time |");
    println!("|---:|---:|");
    for (size, runs) in [(1_000, 21), (10_000, 11), (100_000, 5)] {
        let peers = population(size, &mut generator);
        let time = median_time(runs, || {
            black_box(rank(black_box(&ask), black_box(&peers), &already_asked, now, &policy));
        });
        println!("| {size} | {:.2} ms |", time.as_secs_f64() * 1e3);
    }
}
