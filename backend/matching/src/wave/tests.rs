use chrono::{NaiveTime, TimeDelta};

use super::*;
use crate::fixtures::{ask, at, close, noon, peer};
use crate::peer::QuietHours;

/// Eight peers, "p1" the most relevant and "p8" the least.
fn peers() -> Vec<Peer> {
    (1..=8).map(|n| peer(&format!("p{n}"), &close(0.95 - 0.05 * n as f32))).collect()
}

fn asked(member_ids: &[&str], asked_at: DateTime<Utc>, reply: Reply) -> Vec<Asked> {
    member_ids.iter().map(|id| Asked { member_id: (*id).to_owned(), asked_at, reply }).collect()
}

fn asked_ids(wave: &Wave) -> Vec<&str> {
    match wave {
        Wave::Ask(ranked) => ranked.iter().map(|ranked| ranked.member_id.as_str()).collect(),
        other => panic!("expected peers to ask, got {other:?}"),
    }
}

fn wave_at(peers: &[Peer], asked: &[Asked], now: DateTime<Utc>, policy: &Policy) -> Wave {
    next_wave(&ask(), peers, asked, now, policy)
}

#[test]
fn the_first_wave_asks_the_top_three() {
    let wave = wave_at(&peers(), &[], noon(), &Policy::default());
    assert_eq!(asked_ids(&wave), ["p1", "p2", "p3"]);
}

#[test]
fn the_next_wave_waits_for_the_delay() {
    let first = asked(&["p1", "p2", "p3"], noon(), Reply::Pending);
    let wave = wave_at(&peers(), &first, noon() + TimeDelta::minutes(10), &Policy::default());
    assert_eq!(wave, Wave::WaitUntil(noon() + TimeDelta::minutes(30)));
}

#[test]
fn escalation_asks_the_next_peers_after_the_delay() {
    let first = asked(&["p1", "p2", "p3"], noon(), Reply::Pending);
    let wave = wave_at(&peers(), &first, noon() + TimeDelta::minutes(30), &Policy::default());
    assert_eq!(asked_ids(&wave), ["p4", "p5", "p6"]);
}

#[test]
fn the_delay_runs_from_the_latest_pending_request() {
    let mut history = asked(&["p1", "p2", "p3"], noon(), Reply::Pending);
    history.extend(asked(&["p4"], noon() + TimeDelta::minutes(40), Reply::Pending));
    let wave = wave_at(&peers(), &history, noon() + TimeDelta::minutes(45), &Policy::default());
    assert_eq!(wave, Wave::WaitUntil(noon() + TimeDelta::minutes(70)));
}

#[test]
fn no_escalation_once_someone_answered() {
    let mut history = asked(&["p1", "p3"], noon(), Reply::Pending);
    history.extend(asked(&["p2"], noon(), Reply::Answered));
    let wave = wave_at(&peers(), &history, noon() + TimeDelta::hours(5), &Policy::default());
    assert_eq!(wave, Wave::Done(Finished::Answered));
}

#[test]
fn when_everyone_asked_has_passed_the_next_wave_goes_out_at_once() {
    let first = asked(&["p1", "p2", "p3"], noon(), Reply::Passed);
    let wave = wave_at(&peers(), &first, noon() + TimeDelta::minutes(1), &Policy::default());
    assert_eq!(asked_ids(&wave), ["p4", "p5", "p6"]);
}

#[test]
fn the_cap_stops_escalation() {
    let policy = Policy { max_asked: 5, ..Policy::default() };
    let first = asked(&["p1", "p2", "p3"], noon(), Reply::Pending);
    let second = wave_at(&peers(), &first, noon() + TimeDelta::minutes(30), &policy);
    assert_eq!(asked_ids(&second), ["p4", "p5"], "the second wave stops at the cap");

    let mut history = first;
    history.extend(asked(&["p4", "p5"], noon() + TimeDelta::minutes(30), Reply::Pending));
    let third = wave_at(&peers(), &history, noon() + TimeDelta::hours(2), &policy);
    assert_eq!(third, Wave::Done(Finished::CapReached));
}

#[test]
fn a_wave_size_of_zero_turns_escalation_off() {
    let policy = Policy { wave_size: 0, ..Policy::default() };
    let first = asked(&["p1", "p2", "p3"], noon(), Reply::Pending);
    assert_eq!(wave_at(&peers(), &first, noon() + TimeDelta::hours(1), &policy), Wave::Done(Finished::CapReached));
}

#[test]
fn nobody_left_ends_the_routing() {
    let two = &peers()[..2];
    let first = asked(&["p1", "p2"], noon(), Reply::Pending);
    assert_eq!(
        wave_at(two, &first, noon() + TimeDelta::hours(1), &Policy::default()),
        Wave::Done(Finished::NobodyLeft)
    );
}

#[test]
fn a_wave_waits_for_quiet_hours_to_end_when_nobody_else_can_be_asked() {
    let nights = QuietHours {
        start: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
    };
    let sleepers: Vec<Peer> = peers().into_iter().map(|peer| Peer { quiet_hours: Some(nights), ..peer }).collect();
    let night = at("2025-07-01T23:00:00Z");
    let morning = at("2025-07-02T07:00:00Z");
    assert_eq!(wave_at(&sleepers, &[], night, &Policy::default()), Wave::WaitUntil(morning));
    assert_eq!(asked_ids(&wave_at(&sleepers, &[], morning, &Policy::default())), ["p1", "p2", "p3"]);
}

#[test]
fn nobody_is_asked_twice() {
    // Every member listed twice, the asker among them; nobody ever answers.
    let mut everyone = peers();
    everyone.push(peer("asker", &close(1.0)));
    everyone.extend(everyone.clone());
    let policy = Policy { max_asked: 100, ..Policy::default() };
    let mut history: Vec<Asked> = Vec::new();
    let mut now = noon();
    let finished = loop {
        match wave_at(&everyone, &history, now, &policy) {
            Wave::Ask(ranked) => history.extend(ranked.iter().map(|r| Asked {
                member_id: r.member_id.clone(),
                asked_at: now,
                reply: Reply::Pending,
            })),
            Wave::WaitUntil(until) => {
                assert!(until > now, "time moves on");
                now = until;
            }
            Wave::Done(finished) => break finished,
        }
    };
    assert_eq!(finished, Finished::NobodyLeft);
    let mut ids: Vec<&str> = history.iter().map(|asked| asked.member_id.as_str()).collect();
    assert_eq!(ids.len(), 8);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 8, "each member asked once: {ids:?}");
    assert!(!ids.contains(&"asker"));
}

#[test]
fn the_same_state_gives_the_same_wave() {
    let mut shuffled = peers();
    shuffled.swap(0, 7);
    shuffled.swap(2, 5);
    let history = asked(&["p2"], noon(), Reply::Passed);
    let now = noon() + TimeDelta::minutes(31);
    assert_eq!(
        wave_at(&peers(), &history, now, &Policy::default()),
        wave_at(&shuffled, &history, now, &Policy::default())
    );
}
