use chrono::{NaiveTime, TimeDelta};

use super::*;
use crate::fixtures::{ask, at, close, noon, peer};
use crate::peer::{PastAnswer, QuietHours, Rating};
use crate::score::Evidence;
use crate::Tz;

fn rank_at(peers: &[Peer], now: DateTime<Utc>) -> Ranking {
    rank(&ask(), peers, &HashSet::new(), now, &Policy::default())
}

fn ids(ranking: &Ranking) -> Vec<&str> {
    ranking.ranked.iter().map(|ranked| ranked.member_id.as_str()).collect()
}

fn why(ranking: &Ranking, member_id: &str) -> Option<Exclusion> {
    ranking.excluded.iter().find(|excluded| excluded.member_id == member_id).map(|excluded| excluded.why)
}

fn answered(similarity: f32, rating: Rating) -> PastAnswer {
    PastAnswer { embedding: close(similarity), rating }
}

fn outsider(member_id: &str, expertise: &[f32]) -> Peer {
    Peer { team: Some("finance".to_owned()), site: Some("nantes".to_owned()), ..peer(member_id, expertise) }
}

#[test]
fn the_asker_is_never_asked() {
    let ranking = rank_at(&[peer("asker", &close(1.0)), peer("bob", &close(0.3))], noon());
    assert_eq!(ids(&ranking), ["bob"]);
    assert_eq!(why(&ranking, "asker"), Some(Exclusion::Asker));
}

#[test]
fn an_inactive_member_is_not_asked() {
    let gone = Peer { active: false, ..peer("gone", &close(0.9)) };
    let ranking = rank_at(&[gone], noon());
    assert!(ranking.ranked.is_empty());
    assert_eq!(why(&ranking, "gone"), Some(Exclusion::Inactive));
}

#[test]
fn a_peer_already_asked_is_not_ranked_again() {
    let already: HashSet<String> = ["ann".to_owned()].into();
    let ranking =
        rank(&ask(), &[peer("ann", &close(0.9)), peer("bob", &close(0.5))], &already, noon(), &Policy::default());
    assert_eq!(ids(&ranking), ["bob"]);
    assert_eq!(why(&ranking, "ann"), Some(Exclusion::AlreadyAsked));
}

#[test]
fn a_peer_over_budget_is_not_asked() {
    let spent = Peer { weekly_budget: 2, requests_this_week: 2, ..peer("spent", &close(0.9)) };
    let over = Peer { weekly_budget: 2, requests_this_week: 3, ..peer("over", &close(0.9)) };
    let ranking = rank_at(&[spent, over, peer("fresh", &close(0.2))], noon());
    assert_eq!(ids(&ranking), ["fresh"]);
    assert_eq!(why(&ranking, "spent"), Some(Exclusion::BudgetSpent { requests_this_week: 2, weekly_budget: 2 }));
    assert_eq!(why(&ranking, "spent").unwrap().to_string(), "2 of 2 requests this week already");
    assert!(matches!(why(&ranking, "over"), Some(Exclusion::BudgetSpent { .. })));
}

#[test]
fn a_peer_with_a_zero_budget_is_never_asked() {
    let never = Peer { weekly_budget: 0, ..peer("never", &close(1.0)) };
    let ranking = rank_at(&[never], noon());
    assert!(ranking.ranked.is_empty());
    assert_eq!(why(&ranking, "never").unwrap().to_string(), "takes no requests");
}

#[test]
fn a_peer_with_budget_left_outranks_one_near_the_end_of_it() {
    let fresh = Peer { weekly_budget: 4, requests_this_week: 0, ..peer("z-fresh", &close(0.8)) };
    let busy = Peer { weekly_budget: 4, requests_this_week: 3, ..peer("a-busy", &close(0.8)) };
    let ranking = rank_at(&[busy, fresh], noon());
    assert_eq!(ids(&ranking), ["z-fresh", "a-busy"]);
    assert!((ranking.ranked[1].reasons.availability - (1.0 - 0.5 * 0.75) * 0.75).abs() < 1e-6);
}

#[test]
fn a_peer_with_open_requests_ranks_below_an_idle_one() {
    let idle = peer("z-idle", &close(0.8));
    let loaded = Peer { open_requests: 2, ..peer("a-loaded", &close(0.8)) };
    assert_eq!(ids(&rank_at(&[loaded, idle], noon())), ["z-idle", "a-loaded"]);
}

#[test]
fn a_fast_responder_outranks_a_newcomer_who_outranks_a_slow_one() {
    let fast = Peer { median_response: Some(TimeDelta::minutes(10)), ..peer("c-fast", &close(0.8)) };
    let slow = Peer { median_response: Some(TimeDelta::hours(3)), ..peer("a-slow", &close(0.8)) };
    let new = peer("b-new", &close(0.8));
    assert_eq!(ids(&rank_at(&[slow, new, fast], noon())), ["c-fast", "b-new", "a-slow"]);
}

#[test]
fn a_peer_in_quiet_hours_in_their_own_time_zone_is_not_asked() {
    let evenings = QuietHours {
        start: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
    };
    let paris = Peer { timezone: Some(Tz::Europe__Paris), quiet_hours: Some(evenings), ..peer("paris", &close(0.9)) };
    let utc = Peer { quiet_hours: Some(evenings), ..peer("utc", &close(0.5)) };

    // 19:30 UTC in July: 21:30 in Paris, quiet until 08:00 there (06:00 UTC); still day in UTC.
    let evening = rank_at(&[paris.clone(), utc.clone()], at("2025-07-01T19:30:00Z"));
    assert_eq!(ids(&evening), ["utc"]);
    assert_eq!(why(&evening, "paris"), Some(Exclusion::QuietHours { until: at("2025-07-02T06:00:00Z") }));
    assert_eq!(evening.next_quiet_hours_end(), Some(at("2025-07-02T06:00:00Z")));

    // At noon UTC both are at work, and the better match comes first.
    assert_eq!(ids(&rank_at(&[utc, paris], noon())), ["paris", "utc"]);
}

#[test]
fn only_relevant_peers_in_quiet_hours_are_waited_for() {
    let evenings = QuietHours {
        start: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
    };
    let blank = Peer { expertise: None, quiet_hours: Some(evenings), ..peer("blank", &[]) };
    let ranking = rank_at(&[blank], at("2025-07-01T22:00:00Z"));
    assert_eq!(why(&ranking, "blank"), Some(Exclusion::NotRelevant { relevance: 0.0 }));
    assert_eq!(ranking.next_quiet_hours_end(), None);
}

#[test]
fn an_outsider_outranks_a_teammate_of_equal_relevance() {
    let teammate = peer("a-teammate", &close(0.7));
    let other_team = Peer { team: Some("finance".to_owned()), ..peer("z-other-team", &close(0.7)) };
    let ranking = rank_at(&[teammate, other_team], noon());
    assert_eq!(ids(&ranking), ["z-other-team", "a-teammate"]);
    assert!(ranking.ranked[0].reasons.other_team && !ranking.ranked[0].reasons.other_site);
}

#[test]
fn a_peer_at_another_site_outranks_one_at_the_same_site() {
    let here = peer("a-here", &close(0.7));
    let elsewhere = Peer { site: Some("nantes".to_owned()), ..peer("z-elsewhere", &close(0.7)) };
    assert_eq!(ids(&rank_at(&[here, elsewhere], noon())), ["z-elsewhere", "a-here"]);
}

#[test]
fn another_team_and_another_site_earn_both_bonuses() {
    let ranking = rank_at(&[outsider("far", &close(0.7)), peer("near", &close(0.7))], noon());
    assert!((ranking.ranked[0].reasons.bridging - 1.25).abs() < 1e-6);
    assert!((ranking.ranked[1].reasons.bridging - 1.0).abs() < 1e-6);
}

#[test]
fn a_team_or_site_unknown_earns_no_bridging_bonus() {
    let unknown = Peer { team: None, site: None, ..peer("unknown", &close(0.7)) };
    let spelled_otherwise = Peer { team: Some(" OPS ".to_owned()), ..peer("ops-again", &close(0.7)) };
    let ranking = rank_at(&[unknown, spelled_otherwise], noon());
    assert!(ranking.ranked.iter().all(|ranked| ranked.reasons.bridging == 1.0));
}

#[test]
fn bridging_does_not_beat_a_clearly_better_match() {
    let expert_teammate = peer("teammate", &close(0.9));
    let distant_outsider = outsider("outsider", &close(0.6));
    assert_eq!(ids(&rank_at(&[distant_outsider, expert_teammate], noon())), ["teammate", "outsider"]);
}

#[test]
fn well_rated_answers_weigh_more_than_expertise_alone() {
    let declared = peer("a-declared", &close(0.7));
    let proven = Peer { expertise: None, answered: vec![answered(0.7, Rating::Helpful)], ..peer("z-proven", &[]) };
    let ranking = rank_at(&[declared, proven], noon());
    assert_eq!(ids(&ranking), ["z-proven", "a-declared"]);
    assert_eq!(ranking.ranked[0].reasons.evidence, Some(Evidence::HelpfulAnswer));
    assert_eq!(ranking.ranked[1].reasons.evidence, Some(Evidence::Expertise));
}

#[test]
fn a_not_helpful_answer_weighs_less_than_an_unrated_one() {
    let unrated = Peer { expertise: None, answered: vec![answered(0.8, Rating::Unrated)], ..peer("z-unrated", &[]) };
    let unhelpful =
        Peer { expertise: None, answered: vec![answered(0.8, Rating::NotHelpful)], ..peer("a-unhelpful", &[]) };
    assert_eq!(ids(&rank_at(&[unhelpful, unrated], noon())), ["z-unrated", "a-unhelpful"]);
}

#[test]
fn a_not_helpful_answer_does_not_hide_the_expertise() {
    let mixed = Peer { answered: vec![answered(0.9, Rating::NotHelpful)], ..peer("mixed", &close(0.5)) };
    let reasons = &rank_at(&[mixed], noon()).ranked[0].reasons;
    assert_eq!(reasons.evidence, Some(Evidence::Expertise));
    assert!((reasons.relevance - 0.85 * 0.5).abs() < 1e-6);
    assert_eq!(reasons.best_answer_rating, Some(Rating::NotHelpful));
}

#[test]
fn one_close_answer_counts_more_than_many_loose_ones() {
    let specialist = Peer {
        expertise: None,
        answered: vec![answered(0.9, Rating::Helpful), answered(0.0, Rating::Helpful), answered(0.1, Rating::Helpful)],
        ..peer("z-specialist", &[])
    };
    let generalist =
        Peer { expertise: None, answered: vec![answered(0.6, Rating::Helpful); 3], ..peer("a-generalist", &[]) };
    assert_eq!(ids(&rank_at(&[generalist, specialist], noon())), ["z-specialist", "a-generalist"]);
}

#[test]
fn a_member_without_expertise_or_answers_is_not_asked() {
    let blank = Peer { expertise: None, ..peer("blank", &[]) };
    let opposite = peer("opposite", &[-1.0, 0.0]);
    let ranking = rank_at(&[blank, opposite], noon());
    assert!(ranking.ranked.is_empty());
    assert_eq!(why(&ranking, "blank"), Some(Exclusion::NotRelevant { relevance: 0.0 }));
    assert_eq!(why(&ranking, "opposite"), Some(Exclusion::NotRelevant { relevance: 0.0 }));
}

#[test]
fn equal_scores_are_ordered_by_member_id() {
    let peers = [peer("carol", &close(0.6)), peer("alice", &close(0.6)), peer("bob", &close(0.6))];
    let ranking = rank_at(&peers, noon());
    assert_eq!(ids(&ranking), ["alice", "bob", "carol"]);
    assert!(ranking.ranked.windows(2).all(|pair| pair[0].score == pair[1].score));
}

#[test]
fn ranking_does_not_depend_on_the_order_of_peers() {
    let mut peers = vec![
        peer("e", &close(0.6)),
        outsider("d", &close(0.6)),
        Peer { open_requests: 1, ..peer("c", &close(0.9)) },
        peer("b", &close(0.6)),
        Peer { active: false, ..peer("a", &close(0.9)) },
        Peer { weekly_budget: 0, ..peer("f", &close(0.9)) },
        Peer { expertise: None, answered: vec![answered(0.6, Rating::Helpful)], ..peer("g", &[]) },
    ];
    let first = rank_at(&peers, noon());
    for _ in 0..peers.len() {
        peers.rotate_left(1);
        assert_eq!(rank_at(&peers, noon()), first);
        peers.reverse();
        assert_eq!(rank_at(&peers, noon()), first);
    }
    let excluded: Vec<&str> = first.excluded.iter().map(|excluded| excluded.member_id.as_str()).collect();
    assert_eq!(excluded, ["a", "f"]);
}

#[test]
fn reasons_explain_the_choice_in_a_sentence() {
    let helper = Peer {
        weekly_budget: 2,
        requests_this_week: 1,
        open_requests: 1,
        median_response: Some(TimeDelta::minutes(20)),
        answered: vec![answered(0.82, Rating::Helpful)],
        ..outsider("helper", &close(0.5))
    };
    let ranked = &rank_at(&[helper], noon()).ranked[0];
    let reasons = &ranked.reasons;
    assert_eq!(
        reasons.summary,
        "answered a similar ask helpfully (0.82); outside your team and site; 1 of 2 requests this week; \
         1 open request; usually answers in about 20 min"
    );
    assert_eq!(ranked.score, reasons.relevance * reasons.availability * reasons.bridging);

    let json = serde_json::to_value(reasons).unwrap();
    assert_eq!(json["evidence"], "helpful_answer");
    assert_eq!(json["best_answer_rating"], "helpful");
    assert_eq!(json["summary"], reasons.summary.as_str());
    let back: Reasons = serde_json::from_value(json).unwrap();
    assert_eq!(&back, reasons);
}

#[test]
fn exclusions_serialize_with_their_reason() {
    let json = serde_json::to_value(Exclusion::QuietHours { until: at("2025-07-02T06:00:00Z") }).unwrap();
    assert_eq!(json, serde_json::json!({"reason": "quiet_hours", "until": "2025-07-02T06:00:00Z"}));
}
