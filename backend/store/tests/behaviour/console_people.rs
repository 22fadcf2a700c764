//! The console's people-side queries: the queue (derived states, counts, search, ranking),
//! members' load, the facts network health is computed from, and audio retention.

use std::time::Duration;

use coagent_store::{
    AnswerVia, Ask, AskStatus, CardEdits, CardSource, ContactChannel, Member, NewRequest, ProblemCard, QueueQuery,
    QueueState, RecordingPurpose, RequestState, StoreError, Timestamp, TRANSCRIPT_START_CHARS,
};
use serde_json::json;

use crate::common::{on_both_backends, Ctx};

on_both_backends!(
    the_queue_derives_each_state_and_counts_them,
    a_state_filter_narrows_the_list_but_not_the_counts,
    every_search_term_must_appear_somewhere_and_is_matched_literally,
    a_ranking_lists_only_its_asks_in_its_order_up_to_the_limit,
    member_loads_count_open_weekly_answered_and_passed_requests,
    ask_facts_give_first_request_first_answer_ratings_and_contacts,
    retention_deletes_the_audio_of_old_finished_recordings_once,
);

async fn confirmed(t: &Ctx, asker: &Member, transcript: &str, title: &str, tags: &[&str]) -> Ask {
    let draft = t.store.create_draft(asker.id, transcript, None).await.unwrap();
    let card = ProblemCard {
        title: title.into(),
        summary: "A summary".into(),
        help_needed: "Advice".into(),
        tags: tags.iter().map(|tag| tag.to_string()).collect(),
    };
    t.store.update_card(draft.id, &card, CardSource::Model).await.unwrap();
    t.store.confirm(asker.id, draft.id, CardEdits::default(), false).await.unwrap()
}

async fn ask_peer(t: &Ctx, ask: &Ask, peer: &Member, at: Timestamp) {
    let request = NewRequest { member_id: peer.id, rank: 1, reasons: json!({}), referred_by: None };
    t.store.add_requests(ask.id, 1, &[request], at).await.unwrap();
}

fn all(limit: u32) -> QueueQuery {
    QueueQuery { limit, ..QueueQuery::default() }
}

/// One ask in each state, and a second waiting one that is paused while routed.
async fn one_of_each(t: &Ctx) -> (Member, [Ask; 6]) {
    let (claire, ana) = (t.member("Claire").await, t.member("Ana").await);
    let draft = t.store.create_draft(claire.id, "a draft", None).await.unwrap();
    let waiting = confirmed(t, &claire, "nobody asked yet", "Waiting", &[]).await;
    let routed = confirmed(t, &claire, "asked and waiting for a reply", "Routed", &[]).await;
    ask_peer(t, &routed, &ana, Timestamp::now()).await;
    let answered = confirmed(t, &claire, "answered already", "Answered", &[]).await;
    ask_peer(t, &answered, &ana, Timestamp::now()).await;
    t.store.add_answer(answered.id, ana.id, "Do this", AnswerVia::Text, None, Timestamp::now()).await.unwrap();
    let closed = confirmed(t, &claire, "closed", "Closed", &[]).await;
    t.store.advance_ask(closed.id, AskStatus::Closed).await.unwrap();
    let paused = confirmed(t, &claire, "on hold", "Paused", &[]).await;
    ask_peer(t, &paused, &ana, Timestamp::now()).await;
    let held = t.texts(&format!("UPDATE asks SET paused_at = 1 WHERE id = '{}' RETURNING id", paused.id)).await;
    assert_eq!(held.len(), 1);
    (claire, [draft, waiting, routed, answered, closed, paused])
}

async fn the_queue_derives_each_state_and_counts_them(t: Ctx) {
    let (claire, [draft, waiting, routed, answered, closed, paused]) = one_of_each(&t).await;

    let queue = t.store.console_queue(&all(50)).await.unwrap();

    let state_of = |ask: &Ask| queue.entries.iter().find(|entry| entry.ask_id == ask.id).unwrap().state;
    assert_eq!(state_of(&draft), QueueState::Draft);
    assert_eq!(state_of(&waiting), QueueState::Waiting);
    assert_eq!(state_of(&routed), QueueState::Routed);
    assert_eq!(state_of(&answered), QueueState::Answered);
    assert_eq!(state_of(&closed), QueueState::Closed);
    assert_eq!(state_of(&paused), QueueState::Waiting, "a paused ask waits for the concierge even with peers asked");
    let counts = queue.counts;
    assert_eq!((counts.draft, counts.routed, counts.waiting, counts.answered, counts.closed), (1, 1, 2, 1, 1));

    let entry = queue.entries.iter().find(|entry| entry.ask_id == answered.id).unwrap();
    assert_eq!((entry.asker_id, entry.asker_name.as_str()), (claire.id, "Claire"));
    assert_eq!((entry.asked_count, entry.answer_count, entry.paused), (1, 1, false));
    assert_eq!((entry.title.as_deref(), entry.status), (Some("Answered"), AskStatus::Confirmed));
    assert!(queue.entries.iter().find(|entry| entry.ask_id == paused.id).unwrap().paused);
    let times: Vec<i64> = queue.entries.iter().map(|entry| entry.created_at.as_millis()).collect();
    assert!(times.windows(2).all(|pair| pair[0] >= pair[1]), "newest first: {times:?}");
}

async fn a_state_filter_narrows_the_list_but_not_the_counts(t: Ctx) {
    let (_, [_, waiting, _, _, _, paused]) = one_of_each(&t).await;
    let long = "word ".repeat(100);
    let claire = t.member("Claire").await;
    tokio::time::sleep(Duration::from_millis(2)).await; // so that this draft is the newest
    t.store.create_draft(claire.id, &long, None).await.unwrap();

    let waiting_only = QueueQuery { state: Some(QueueState::Waiting), ..all(50) };
    let queue = t.store.console_queue(&waiting_only).await.unwrap();

    let mut ids: Vec<_> = queue.entries.iter().map(|entry| entry.ask_id).collect();
    ids.sort();
    let mut expected = vec![waiting.id, paused.id];
    expected.sort();
    assert_eq!(ids, expected);
    assert_eq!((queue.counts.draft, queue.counts.waiting), (2, 2));

    let newest = t.store.console_queue(&all(1)).await.unwrap();
    assert_eq!(newest.entries.len(), 1, "the limit holds");
    assert_eq!(newest.entries[0].transcript_start.chars().count(), TRANSCRIPT_START_CHARS);
}

async fn every_search_term_must_appear_somewhere_and_is_matched_literally(t: Ctx) {
    let claire = t.member("Claire").await;
    let charger = confirmed(&t, &claire, "The forklift charger trips the breaker", "Hall B power", &[]).await;
    let training = t.store.create_draft(claire.id, "Forklift training for new staff", None).await.unwrap();
    let tagged = confirmed(&t, &claire, "Budget question", "Canteen", &["night_shift"]).await;
    let sale = confirmed(&t, &claire, "Suppliers offer 50% off pallets", "Pallets", &[]).await;
    confirmed(&t, &claire, "We need 500 pallets", "More pallets", &[]).await;

    let search = |terms: &[&str]| {
        let query = QueueQuery { terms: terms.iter().map(|term| term.to_string()).collect(), ..all(50) };
        let store = t.store.clone();
        async move {
            let queue = store.console_queue(&query).await.unwrap();
            let mut ids: Vec<_> = queue.entries.iter().map(|entry| entry.ask_id).collect();
            ids.sort();
            (ids, queue.counts)
        }
    };
    let sorted = |mut ids: Vec<coagent_store::AskId>| {
        ids.sort();
        ids
    };

    let (found, counts) = search(&["FORKLIFT"]).await;
    assert_eq!(found, sorted(vec![charger.id, training.id]), "case-insensitive, drafts included");
    assert_eq!((counts.draft, counts.waiting, counts.routed), (1, 1, 0), "counts follow the search");
    assert_eq!(search(&["forklift", "breaker"]).await.0, vec![charger.id], "every term must appear");
    assert_eq!(search(&["hall", "breaker"]).await.0, vec![charger.id], "the title is searched too");
    assert_eq!(search(&["night_shift"]).await.0, vec![tagged.id], "and the tags");
    assert!(search(&["night%shift"]).await.0.is_empty(), "% is not a wildcard");
    assert_eq!(search(&["50%"]).await.0, vec![sale.id], "% is a literal character");
}

async fn a_ranking_lists_only_its_asks_in_its_order_up_to_the_limit(t: Ctx) {
    let claire = t.member("Claire").await;
    let first = confirmed(&t, &claire, "one", "One", &[]).await;
    let second = confirmed(&t, &claire, "two", "Two", &[]).await;
    let third = confirmed(&t, &claire, "three", "Three", &[]).await;
    confirmed(&t, &claire, "not ranked", "Four", &[]).await;

    let ranked = QueueQuery { among: Some(vec![second.id, third.id, first.id]), ..all(2) };
    let queue = t.store.console_queue(&ranked).await.unwrap();

    let ids: Vec<_> = queue.entries.iter().map(|entry| entry.ask_id).collect();
    assert_eq!(ids, vec![second.id, third.id]);
    assert_eq!(queue.counts.waiting, 4, "the counts ignore the ranking");
    let nothing = QueueQuery { among: Some(vec![]), ..all(2) };
    assert!(t.store.console_queue(&nothing).await.unwrap().entries.is_empty());
}

async fn member_loads_count_open_weekly_answered_and_passed_requests(t: Ctx) {
    let (claire, ana, ben) = (t.member("Claire").await, t.member("Ana").await, t.member("Ben").await);
    let week_start = Timestamp::from_millis(1_000_000);
    let before_the_week = Timestamp::from_millis(999_999);
    let asks = [
        confirmed(&t, &claire, "one", "One", &[]).await,
        confirmed(&t, &claire, "two", "Two", &[]).await,
        confirmed(&t, &claire, "three", "Three", &[]).await,
        confirmed(&t, &claire, "four", "Four", &[]).await,
        confirmed(&t, &claire, "five", "Five", &[]).await,
    ];
    ask_peer(&t, &asks[0], &ana, before_the_week).await;
    ask_peer(&t, &asks[1], &ana, week_start).await;
    ask_peer(&t, &asks[2], &ana, week_start).await;
    ask_peer(&t, &asks[3], &ana, week_start).await;
    ask_peer(&t, &asks[4], &ana, week_start).await;
    t.store.add_answer(asks[0].id, ana.id, "Answer", AnswerVia::Text, None, Timestamp::now()).await.unwrap();
    t.store.respond_to_request(asks[1].id, ana.id, RequestState::Passed, Timestamp::now()).await.unwrap();
    let withdrawn = format!(
        "UPDATE ask_requests SET withdrawn_at = 5 WHERE ask_id = '{}' AND member_id = '{}' RETURNING ask_id",
        asks[4].id, ana.id
    );
    assert_eq!(t.texts(&withdrawn).await.len(), 1);
    ask_peer(&t, &asks[2], &ben, week_start).await;

    let loads = t.store.member_loads(week_start).await.unwrap();

    let load_of = |member: &Member| loads.iter().find(|(id, _)| *id == member.id).map(|(_, load)| *load);
    let ana_load = load_of(&ana).unwrap();
    // Open: asks 3 and 4 (5 was withdrawn). This week: asks 2 to 5 (1 came before Monday).
    assert_eq!((ana_load.open_requests, ana_load.asked_this_week, ana_load.answered, ana_load.passed), (2, 4, 1, 1));
    assert_eq!(load_of(&ben).unwrap().open_requests, 1);
    assert_eq!(load_of(&claire), None, "never asked: no row");
}

async fn ask_facts_give_first_request_first_answer_ratings_and_contacts(t: Ctx) {
    let (claire, ana, ben) = (t.member("Claire").await, t.member("Ana").await, t.member("Ben").await);
    let at = Timestamp::from_millis;
    let ask = confirmed(&t, &claire, "a question", "Question", &[]).await;
    ask_peer(&t, &ask, &ana, at(10_000)).await;
    ask_peer(&t, &ask, &ben, at(20_000)).await;
    let first = t.store.add_answer(ask.id, ben.id, "First", AnswerVia::Text, None, at(50_000)).await.unwrap();
    let second = t.store.add_answer(ask.id, ana.id, "Second", AnswerVia::Text, None, at(90_000)).await.unwrap();
    t.store.rate_answer(claire.id, ask.id, first.id, true).await.unwrap();
    t.store.rate_answer(claire.id, ask.id, second.id, false).await.unwrap();
    for channel in [ContactChannel::Call, ContactChannel::Email] {
        t.store.record_contact(ask.id, claire.id, ben.id, channel, at(100_000)).await.unwrap();
    }
    let draft = t.store.create_draft(claire.id, "a draft", None).await.unwrap();

    let now = Timestamp::now();
    let facts = t.store.ask_facts(at(0), now + Duration::from_secs(60)).await.unwrap();

    assert_eq!(facts.len(), 2, "drafts are included: the caller decides");
    let answered = facts.iter().find(|facts| facts.ask_id == ask.id).unwrap();
    assert_eq!(answered.status, AskStatus::Confirmed);
    assert_eq!(answered.created_at, ask.created_at);
    assert_eq!((answered.first_asked_at, answered.first_answer_at), (Some(at(10_000)), Some(at(50_000))));
    assert_eq!((answered.answers, answered.helpful, answered.not_helpful, answered.contacts), (2, 1, 1, 2));
    let draft_facts = facts.iter().find(|facts| facts.ask_id == draft.id).unwrap();
    assert_eq!((draft_facts.status, draft_facts.first_asked_at, draft_facts.answers), (AskStatus::Draft, None, 0));

    let later = t.store.ask_facts(now + Duration::from_secs(60), now + Duration::from_secs(120)).await.unwrap();
    assert!(later.is_empty(), "asks made outside the period are left out");
}

async fn retention_deletes_the_audio_of_old_finished_recordings_once(t: Ctx) {
    let marc = t.member("Marc").await;
    let finished = t.store.create_recording(marc.id, RecordingPurpose::Ask, None, 16_000).await.unwrap();
    t.audio.append(finished.id, &[1, 2, 3, 4]).await.unwrap();
    t.audio.finish(finished.id).await.unwrap();
    let open = t.store.create_recording(marc.id, RecordingPurpose::Ask, None, 16_000).await.unwrap();
    t.audio.append(open.id, &[1, 2]).await.unwrap();
    let later = Timestamp::now() + Duration::from_secs(3600);

    assert!(t.store.expired_recordings(finished.created_at, 10).await.unwrap().is_empty(), "strictly older only");
    let expired = t.store.expired_recordings(later, 10).await.unwrap();
    assert_eq!(expired.iter().map(|r| r.id).collect::<Vec<_>>(), vec![finished.id], "open recordings stay");

    let deleted = t.audio.delete_audio(finished.id, later).await.unwrap();

    assert_eq!(deleted.audio_deleted_at, Some(later));
    assert!(!t.audio.path(finished.id).exists());
    assert!(matches!(t.audio.read_all(finished.id).await, Err(StoreError::AudioDeleted)));
    assert!(t.store.expired_recordings(later, 10).await.unwrap().is_empty());
    let again = t.audio.delete_audio(finished.id, later + Duration::from_secs(1)).await.unwrap();
    assert_eq!(again.audio_deleted_at, Some(later), "the first deletion time is kept");
    assert_eq!(t.audio.read_all(open.id).await.unwrap(), vec![1, 2]);
}
