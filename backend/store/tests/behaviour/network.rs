use coagent_store::{
    AnswerVia, Ask, CardEdits, CardSource, ContactChannel, DigestPoint, NewRequest, ProblemCard, Profile, RequestState,
    StoreError, Timestamp,
};
use serde_json::json;

use crate::common::{on_both_backends, Ctx};

on_both_backends!(
    a_member_without_a_profile_has_the_defaults,
    a_profile_round_trips_with_its_embedding,
    a_browser_resubscribing_updates_its_one_subscription,
    a_subscription_can_be_deleted_once,
    nobody_is_asked_twice_for_one_ask,
    the_inbox_lists_a_peers_requests_with_the_ask_and_asker,
    only_a_peer_who_was_asked_can_answer_and_only_once,
    a_pass_is_recorded_once,
    only_the_asker_can_rate_an_answer,
    past_answers_carry_the_asks_embedding_and_rating,
    a_digest_is_replaced_as_answers_arrive,
    confirmed_asks_with_embeddings_are_searchable,
    contacts_are_counted_per_ask,
);

async fn confirmed_ask(t: &Ctx, asker: &coagent_store::Member, title: &str) -> Ask {
    let ask = t.store.create_draft(asker.id, "transcript", None).await.unwrap();
    let card = ProblemCard {
        title: title.into(),
        summary: "summary".into(),
        help_needed: "help".into(),
        tags: vec!["tag".into()],
    };
    t.store.update_card(ask.id, &card, CardSource::Model).await.unwrap();
    t.store.confirm(asker.id, ask.id, CardEdits::default(), true).await.unwrap()
}

fn request(member: &coagent_store::Member, rank: u32) -> NewRequest {
    NewRequest { member_id: member.id, rank, reasons: json!({"summary": "close"}), referred_by: None }
}

async fn a_member_without_a_profile_has_the_defaults(t: Ctx) {
    let member = t.member("Ana").await;
    assert_eq!(t.store.get_profile(member.id).await.unwrap(), Profile::empty(member.id));
    assert_eq!(Profile::empty(member.id).weekly_budget, 2);
}

async fn a_profile_round_trips_with_its_embedding(t: Ctx) {
    let member = t.member("Ana").await;
    let mut profile = Profile::empty(member.id);
    profile.expertise = "Shift scheduling in plants".into();
    profile.expertise_embedding = Some(vec![0.6, 0.8]);
    profile.team = Some("Ops".into());
    profile.timezone = Some("Europe/Paris".into());
    profile.quiet_hours = Some(("20:00".into(), "08:00".into()));
    profile.weekly_budget = 3;
    profile.email = Some("ana@example.com".into());

    let saved = t.store.put_profile(&profile).await.unwrap();
    let read = t.store.get_profile(member.id).await.unwrap();

    assert_eq!(read, saved);
    assert_eq!((read.expertise_embedding.clone(), read.weekly_budget), (Some(vec![0.6, 0.8]), 3));
    profile.quiet_hours = None;
    assert_eq!(t.store.put_profile(&profile).await.unwrap().quiet_hours, None);
}

async fn a_browser_resubscribing_updates_its_one_subscription(t: Ctx) {
    let member = t.member("Ana").await;
    let first = t.store.save_subscription(member.id, "https://push.example/abc", "key1", "auth1").await.unwrap();
    let again = t.store.save_subscription(member.id, "https://push.example/abc", "key2", "auth2").await.unwrap();

    assert_eq!(first.id, again.id);
    let all = t.store.subscriptions_of(member.id).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].p256dh.as_str(), all[0].auth.as_str()), ("key2", "auth2"));
}

async fn a_subscription_can_be_deleted_once(t: Ctx) {
    let member = t.member("Ana").await;
    let saved = t.store.save_subscription(member.id, "https://push.example/abc", "k", "a").await.unwrap();
    assert!(t.store.delete_subscription(saved.id).await.unwrap());
    assert!(!t.store.delete_subscription(saved.id).await.unwrap());
    assert!(t.store.subscriptions_of(member.id).await.unwrap().is_empty());
}

async fn nobody_is_asked_twice_for_one_ask(t: Ctx) {
    let asker = t.member("Claire").await;
    let (ana, ben) = (t.member("Ana").await, t.member("Ben").await);
    let ask = confirmed_ask(&t, &asker, "Night shift").await;
    let now = Timestamp::now();

    let first = t.store.add_requests(ask.id, 1, &[request(&ana, 1)], now).await.unwrap();
    let second = t.store.add_requests(ask.id, 2, &[request(&ana, 1), request(&ben, 2)], now).await.unwrap();

    assert_eq!(first.len(), 1);
    assert_eq!(second.iter().map(|r| r.member_id).collect::<Vec<_>>(), vec![ben.id]);
    let all = t.store.requests_for_ask(ask.id).await.unwrap();
    assert_eq!(all.iter().map(|r| (r.member_id, r.wave)).collect::<Vec<_>>(), vec![(ana.id, 1), (ben.id, 2)]);
    assert_eq!(all[0].reasons, json!({"summary": "close"}));
}

async fn the_inbox_lists_a_peers_requests_with_the_ask_and_asker(t: Ctx) {
    let asker = t.member("Claire").await;
    let ana = t.member("Ana").await;
    let ask = confirmed_ask(&t, &asker, "Night shift").await;
    t.store.add_requests(ask.id, 1, &[request(&ana, 1)], Timestamp::now()).await.unwrap();

    let inbox = t.store.inbox(ana.id).await.unwrap();

    assert_eq!(inbox.len(), 1);
    assert_eq!((inbox[0].title.as_str(), inbox[0].asker_name.as_str()), ("Night shift", "Claire"));
    assert_eq!(inbox[0].request.state, RequestState::Open);
    assert!(t.store.inbox(asker.id).await.unwrap().is_empty());
}

async fn only_a_peer_who_was_asked_can_answer_and_only_once(t: Ctx) {
    let asker = t.member("Claire").await;
    let (ana, stranger) = (t.member("Ana").await, t.member("Zed").await);
    let ask = confirmed_ask(&t, &asker, "Night shift").await;
    t.store.add_requests(ask.id, 1, &[request(&ana, 1)], Timestamp::now()).await.unwrap();

    let uninvited = t.store.add_answer(ask.id, stranger.id, "me too", AnswerVia::Text, None, Timestamp::now()).await;
    assert!(matches!(uninvited, Err(StoreError::NotFound)), "{uninvited:?}");

    let answer =
        t.store.add_answer(ask.id, ana.id, "Split the weeks", AnswerVia::Text, None, Timestamp::now()).await.unwrap();
    assert_eq!(t.store.get_request(ask.id, ana.id).await.unwrap().state, RequestState::Answered);
    let twice = t.store.add_answer(ask.id, ana.id, "again", AnswerVia::Text, None, Timestamp::now()).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert_eq!(t.store.answers_for(ask.id).await.unwrap(), vec![answer]);
}

async fn a_pass_is_recorded_once(t: Ctx) {
    let asker = t.member("Claire").await;
    let ana = t.member("Ana").await;
    let ask = confirmed_ask(&t, &asker, "Night shift").await;
    t.store.add_requests(ask.id, 1, &[request(&ana, 1)], Timestamp::now()).await.unwrap();

    let passed = t.store.respond_to_request(ask.id, ana.id, RequestState::Passed, Timestamp::now()).await.unwrap();
    assert_eq!(passed.state, RequestState::Passed);
    assert!(passed.responded_at.is_some());
    let again = t.store.respond_to_request(ask.id, ana.id, RequestState::Passed, Timestamp::now()).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
}

async fn only_the_asker_can_rate_an_answer(t: Ctx) {
    let asker = t.member("Claire").await;
    let ana = t.member("Ana").await;
    let ask = confirmed_ask(&t, &asker, "Night shift").await;
    t.store.add_requests(ask.id, 1, &[request(&ana, 1)], Timestamp::now()).await.unwrap();
    let answer =
        t.store.add_answer(ask.id, ana.id, "Split the weeks", AnswerVia::Text, None, Timestamp::now()).await.unwrap();

    let by_peer = t.store.rate_answer(ana.id, ask.id, answer.id, true).await;
    assert!(matches!(by_peer, Err(StoreError::NotFound)), "{by_peer:?}");
    assert_eq!(t.store.rate_answer(asker.id, ask.id, answer.id, true).await.unwrap().helpful, Some(true));
}

async fn past_answers_carry_the_asks_embedding_and_rating(t: Ctx) {
    let asker = t.member("Claire").await;
    let ana = t.member("Ana").await;
    let ask = confirmed_ask(&t, &asker, "Night shift").await;
    t.store.set_ask_embedding(ask.id, &[1.0, 0.0]).await.unwrap();
    t.store.add_requests(ask.id, 1, &[request(&ana, 1)], Timestamp::now()).await.unwrap();
    let answer =
        t.store.add_answer(ask.id, ana.id, "Split the weeks", AnswerVia::Text, None, Timestamp::now()).await.unwrap();
    t.store.rate_answer(asker.id, ask.id, answer.id, false).await.unwrap();

    let past = t.store.past_answers().await.unwrap();

    assert_eq!(past.len(), 1);
    assert_eq!(
        (past[0].member_id, past[0].ask_embedding.clone(), past[0].helpful),
        (ana.id, vec![1.0, 0.0], Some(false))
    );
}

async fn a_digest_is_replaced_as_answers_arrive(t: Ctx) {
    let asker = t.member("Claire").await;
    let ana = t.member("Ana").await;
    let ask = confirmed_ask(&t, &asker, "Night shift").await;
    t.store.add_requests(ask.id, 1, &[request(&ana, 1)], Timestamp::now()).await.unwrap();
    let answer =
        t.store.add_answer(ask.id, ana.id, "Split the weeks", AnswerVia::Text, None, Timestamp::now()).await.unwrap();
    let point = |sentence: &str| DigestPoint {
        answer_id: answer.id,
        author: "Ana".into(),
        sentence: sentence.into(),
        source: "model".into(),
    };

    assert_eq!(t.store.get_digest(ask.id).await.unwrap(), None);
    t.store.save_digest(ask.id, &[point("first")], Timestamp::now()).await.unwrap();
    t.store.save_digest(ask.id, &[point("Split the weeks between leads.")], Timestamp::now()).await.unwrap();

    let digest = t.store.get_digest(ask.id).await.unwrap().unwrap();
    assert_eq!(digest.text(), "Ana: Split the weeks between leads.");
    assert_eq!(digest.answer_count, 1);
}

async fn confirmed_asks_with_embeddings_are_searchable(t: Ctx) {
    let asker = t.member("Claire").await;
    let ask = confirmed_ask(&t, &asker, "Night shift").await;
    let draft = t.store.create_draft(asker.id, "draft", None).await.unwrap();
    assert!(t.store.embedded_asks().await.unwrap().is_empty());

    t.store.set_ask_embedding(ask.id, &[0.0, 1.0]).await.unwrap();
    t.store.set_ask_embedding(draft.id, &[1.0, 0.0]).await.unwrap();

    let found = t.store.embedded_asks().await.unwrap();
    assert_eq!(found.iter().map(|a| (a.id, a.title.as_str())).collect::<Vec<_>>(), vec![(ask.id, "Night shift")]);
    assert_eq!(t.store.ask_embedding(ask.id).await.unwrap(), Some(vec![0.0, 1.0]));
    assert!(ask.share_audio);
}

async fn contacts_are_counted_per_ask(t: Ctx) {
    let asker = t.member("Claire").await;
    let ana = t.member("Ana").await;
    let ask = confirmed_ask(&t, &asker, "Night shift").await;

    t.store.record_contact(ask.id, asker.id, ana.id, ContactChannel::Email, Timestamp::now()).await.unwrap();

    assert_eq!(t.store.contact_count(ask.id).await.unwrap(), 1);
}
