//! Network health over a seeded history: every value equals the one computed by hand.

use coagent_store::{
    AnswerId, AnswerVia, AskId, AskStatus, CardEdits, CardSource, ContactChannel, Member, NewRequest, ProblemCard,
    Role, Timestamp,
};
use serde_json::json;

use super::{json_of, sql};
use crate::helpers::{spawn_app, TestApp};

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;
const WEEK: i64 = 7 * DAY;

/// Monday 00:00 UTC of the week holding `millis` (1970-01-01 was a Thursday).
fn monday_of(millis: i64) -> i64 {
    let day = millis.div_euclid(DAY);
    (day - (day + 3).rem_euclid(7)) * DAY
}

fn date(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis).unwrap().format("%Y-%m-%d").to_string()
}

struct History<'a> {
    app: &'a TestApp,
    asker: Member,
    peers: Vec<Member>,
}

impl History<'_> {
    /// A confirmed ask made at `created`, its peers all asked `asked_after` later.
    async fn ask(&self, created: i64, asked_after: Option<i64>) -> (AskId, i64) {
        let store = &self.app.store;
        let draft = store.create_draft(self.asker.id, "a question", None).await.unwrap();
        let card = ProblemCard { title: "Q".into(), summary: "S".into(), help_needed: "H".into(), tags: vec![] };
        store.update_card(draft.id, &card, CardSource::Model).await.unwrap();
        store.confirm(self.asker.id, draft.id, CardEdits::default(), false).await.unwrap();
        sql(self.app, &format!("UPDATE asks SET created_at = {created} WHERE id = '{}'", draft.id)).await;
        let asked_at = created + asked_after.unwrap_or(0);
        if asked_after.is_some() {
            let requests: Vec<NewRequest> = self
                .peers
                .iter()
                .map(|peer| NewRequest { member_id: peer.id, rank: 1, reasons: json!({}), referred_by: None })
                .collect();
            store.add_requests(draft.id, 1, &requests, Timestamp::from_millis(asked_at)).await.unwrap();
        }
        (draft.id, asked_at)
    }

    /// Peer `peer` answers `after` the first request, rated `helpful` (or not rated).
    async fn answer(&self, (ask, asked_at): (AskId, i64), peer: usize, after: i64, helpful: Option<bool>) {
        let store = &self.app.store;
        let at = Timestamp::from_millis(asked_at + after);
        let answer = store.add_answer(ask, self.peers[peer].id, "an answer", AnswerVia::Text, None, at).await.unwrap();
        if let Some(helpful) = helpful {
            let id: AnswerId = answer.id;
            store.rate_answer(self.asker.id, ask, id, helpful).await.unwrap();
        }
    }

    async fn contact(&self, (ask, asked_at): (AskId, i64), peer: usize) {
        let at = Timestamp::from_millis(asked_at + DAY);
        let to = self.peers[peer].id;
        self.app.store.record_contact(ask, self.asker.id, to, ContactChannel::Call, at).await.unwrap();
    }
}

#[tokio::test]
async fn network_health_per_week_equals_the_hand_computed_values() {
    let app = spawn_app().await;
    let rosa = app.sign_in(Role::Concierge, "Rosa").await;
    let store = &app.store;
    let asker = store.create_member("Claire", Role::Manager).await.unwrap();
    let mut peers = Vec::new();
    for name in ["P0", "P1", "P2"] {
        peers.push(store.create_member(name, Role::Manager).await.unwrap());
    }
    let history = History { app: &app, asker, peers };
    // Four weeks, the current one last: w0 and w2 busy, w1 empty, w3 with one ask.
    let this_week = monday_of(Timestamp::now().as_millis());
    let [w0, w1, w2, w3] = [this_week - 3 * WEEK, this_week - 2 * WEEK, this_week - WEEK, this_week];

    // Week 0: four asks.
    let a1 = history.ask(w0 + DAY, Some(5 * MINUTE)).await;
    history.answer(a1, 0, 12 * MINUTE, Some(true)).await;
    history.answer(a1, 1, 40 * MINUTE, Some(false)).await;
    history.contact(a1, 0).await;
    let a2 = history.ask(w0 + 2 * DAY, Some(MINUTE)).await;
    history.answer(a2, 0, 20 * MINUTE, None).await;
    history.ask(w0 + 3 * DAY, Some(MINUTE)).await; // asked, never answered
    history.ask(w0 + 6 * DAY, None).await; // nobody asked

    // Week 2: five asks, one closed unanswered; and a draft, which never counts.
    let b1 = history.ask(w2, Some(MINUTE)).await;
    history.answer(b1, 0, 5 * MINUTE, Some(true)).await;
    history.answer(b1, 1, 7 * MINUTE, Some(true)).await;
    history.answer(b1, 2, 9 * MINUTE, Some(true)).await;
    history.contact(b1, 0).await;
    history.contact(b1, 1).await; // a second contact: still one ask that led to contact
    let b2 = history.ask(w2 + DAY, Some(MINUTE)).await;
    history.answer(b2, 1, 60 * MINUTE, Some(true)).await;
    let b3 = history.ask(w2 + 2 * DAY, Some(MINUTE)).await;
    history.answer(b3, 2, 90 * MINUTE, Some(false)).await;
    let b4 = history.ask(w2 + 3 * DAY, Some(MINUTE)).await;
    history.answer(b4, 0, 30 * MINUTE, None).await;
    history.contact(b4, 0).await;
    let (b5, _) = history.ask(w2 + 4 * DAY, Some(MINUTE)).await;
    store.advance_ask(b5, AskStatus::Closed).await.unwrap();
    let draft = store.create_draft(history.asker.id, "never confirmed", None).await.unwrap();
    sql(&app, &format!("UPDATE asks SET created_at = {} WHERE id = '{}'", w2 + DAY, draft.id)).await;
    // Week 3 (this week, on Monday at midnight so it is never in the future): one ask.
    let c1 = history.ask(w3, Some(MINUTE)).await;
    history.answer(c1, 1, 150_000, Some(false)).await; // 2.5 minutes

    // Before the period: ignored.
    let old = history.ask(w0 - DAY, Some(MINUTE)).await;
    history.answer(old, 0, MINUTE, Some(true)).await;

    let health = json_of(app.get(&rosa, "/api/v1/console/health?weeks=4").await, 200).await;

    let expected_weeks = json!([
        {
            "week_start": date(w0), "asks": 4,
            "answered_share": 0.5,               // a1, a2 answered of 4
            "first_answer_median_minutes": 12.0, // waits [12, 20]: rank ⌈0.5·2⌉ = 1
            "first_answer_p90_minutes": 20.0,    // rank ⌈0.9·2⌉ = 2
            "answers_per_ask": 0.75,             // 3 answers / 4 asks
            "helpful": 1, "not_helpful": 1,
            "helpful_share": 0.5,                // 1 / (1 + 1)
            "contact_share": 0.25,               // a1 / 4
        },
        {
            "week_start": date(w1), "asks": 0, "answered_share": null, "first_answer_median_minutes": null,
            "first_answer_p90_minutes": null, "answers_per_ask": null, "helpful": 0, "not_helpful": 0,
            "helpful_share": null, "contact_share": null,
        },
        {
            "week_start": date(w2), "asks": 5,   // b1..b5; the draft does not count
            "answered_share": 0.8,               // b1..b4 of 5
            "first_answer_median_minutes": 30.0, // waits [5, 30, 60, 90]: rank ⌈0.5·4⌉ = 2
            "first_answer_p90_minutes": 90.0,    // rank ⌈0.9·4⌉ = 4
            "answers_per_ask": 1.2,              // (3 + 1 + 1 + 1) / 5
            "helpful": 4, "not_helpful": 1,      // b1 ×3 and b2; b3
            "helpful_share": 0.8,                // 4 / 5
            "contact_share": 0.4,                // b1, b4 of 5
        },
        {
            "week_start": date(w3), "asks": 1, "answered_share": 1.0,
            "first_answer_median_minutes": 2.5, "first_answer_p90_minutes": 2.5, // 150 000 ms
            "answers_per_ask": 1.0, "helpful": 0, "not_helpful": 1, "helpful_share": 0.0, "contact_share": 0.0,
        },
    ]);
    assert_eq!(health["weeks"], expected_weeks);
    let expected_totals = json!({
        "asks": 10,                           // 4 + 0 + 5 + 1
        "answered_share": 0.7,                // (2 + 4 + 1) / 10
        "first_answer_median_minutes": 20.0,  // [2.5, 5, 12, 20, 30, 60, 90]: rank ⌈0.5·7⌉ = 4
        "first_answer_p90_minutes": 90.0,     // rank ⌈0.9·7⌉ = 7
        "answers_per_ask": 1.0,               // (3 + 6 + 1) / 10
        "helpful": 5, "not_helpful": 3,       // 1 + 4 + 0; 1 + 1 + 1
        "helpful_share": 0.625,               // 5 / 8
        "contact_share": 0.3,                 // (1 + 2 + 0) / 10
    });
    assert_eq!(health["totals"], expected_totals);

    assert_eq!(
        json_of(app.get(&rosa, "/api/v1/console/health").await, 200).await["weeks"].as_array().unwrap().len(),
        12
    );
    assert_eq!(app.get(&rosa, "/api/v1/console/health?weeks=0").await.status(), 422);
}
