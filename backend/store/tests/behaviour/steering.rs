//! A concierge steering an ask: the card, the hold, requests added by hand or withdrawn, the
//! curated digest; and the timed transcripts the console plays along with the audio.

use coagent_store::{
    AnswerVia, Ask, CardEdits, CardSource, DigestPoint, Member, NewAnswer, NewRequest, ProblemCard, RequestState, Role,
    Segment, StoreError, Timestamp,
};
use serde_json::json;

use crate::common::{on_both_backends, Ctx};

on_both_backends!(
    a_concierge_edit_rewrites_the_card_says_when_and_drops_its_embedding,
    a_card_cannot_be_edited_before_the_summarizer_wrote_it,
    an_ask_is_put_on_hold_once_and_let_go_once,
    a_closed_ask_cannot_be_put_on_hold,
    a_peer_added_by_hand_says_by_whom_and_is_never_asked_twice,
    a_withdrawn_request_leaves_the_inbox_and_takes_no_answer_or_pass,
    only_an_open_request_can_be_withdrawn,
    a_curated_digest_leaves_exactly_the_named_answers_out_and_says_who_curated_it,
    a_curation_naming_an_answer_of_another_ask_changes_nothing,
    a_digest_sent_is_unsent_again_once_it_changes,
    spoken_asks_and_answers_keep_their_timed_segments,
);

fn card(title: &str) -> ProblemCard {
    ProblemCard { title: title.into(), summary: "summary".into(), help_needed: "help".into(), tags: vec!["tag".into()] }
}

async fn confirmed_ask(t: &Ctx, asker: &Member) -> Ask {
    let ask = t.store.create_draft(asker.id, "transcript", None).await.unwrap();
    t.store.update_card(ask.id, &card("Night shift"), CardSource::Model).await.unwrap();
    t.store.confirm(asker.id, ask.id, CardEdits::default(), false).await.unwrap()
}

fn request(member: &Member) -> NewRequest {
    NewRequest { member_id: member.id, rank: 1, reasons: json!({"summary": "close"}), referred_by: None }
}

fn unknown_ask() -> coagent_store::AskId {
    "6f1c1a52-0000-4000-8000-000000000000".parse().unwrap()
}

async fn concierge(t: &Ctx) -> Member {
    t.store.create_member("Cleo", Role::Concierge).await.unwrap()
}

async fn a_concierge_edit_rewrites_the_card_says_when_and_drops_its_embedding(t: Ctx) {
    let asker = t.member("Claire").await;
    let ask = confirmed_ask(&t, &asker).await;
    t.store.set_ask_embedding(ask.id, &[1.0, 0.0]).await.unwrap();
    let at = Timestamp::from_millis(1_700_000_000_000);

    let (before, after) = t.store.edit_card_as_concierge(ask.id, &card("Who owns the night shift"), at).await.unwrap();

    assert_eq!(before.card.unwrap().card.title, "Night shift");
    assert_eq!(after.card.as_ref().unwrap().card.title, "Who owns the night shift");
    assert_eq!(after.concierge_edited_at, Some(at));
    assert!(!after.card.unwrap().edited, "the asker's own edit flag is theirs");
    assert_eq!(t.store.get_ask(ask.id).await.unwrap().concierge_edited_at, Some(at));
    assert_eq!(t.store.ask_embedding(ask.id).await.unwrap(), None, "the next wave matches the new card");
}

async fn a_card_cannot_be_edited_before_the_summarizer_wrote_it(t: Ctx) {
    let asker = t.member("Claire").await;
    let draft = t.store.create_draft(asker.id, "transcript", None).await.unwrap();

    let edited = t.store.edit_card_as_concierge(draft.id, &card("Early"), Timestamp::now()).await;

    assert!(matches!(edited, Err(StoreError::AskHasNoCard)), "{edited:?}");
    assert_eq!(t.store.get_ask(draft.id).await.unwrap().card, None);
}

async fn an_ask_is_put_on_hold_once_and_let_go_once(t: Ctx) {
    let asker = t.member("Claire").await;
    let ask = confirmed_ask(&t, &asker).await;
    let at = Timestamp::from_millis(1_700_000_000_000);

    assert_eq!(t.store.pause_ask(ask.id, at).await.unwrap().paused_at, Some(at));
    let twice = t.store.pause_ask(ask.id, Timestamp::now()).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert_eq!(t.store.get_ask(ask.id).await.unwrap().paused_at, Some(at), "the first hold stands");

    assert_eq!(t.store.resume_ask(ask.id, Timestamp::now()).await.unwrap().paused_at, None);
    let again = t.store.resume_ask(ask.id, Timestamp::now()).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let unknown = t.store.pause_ask(unknown_ask(), Timestamp::now()).await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
}

async fn a_closed_ask_cannot_be_put_on_hold(t: Ctx) {
    let asker = t.member("Claire").await;
    let ask = confirmed_ask(&t, &asker).await;
    t.store.advance_ask(ask.id, coagent_store::AskStatus::Closed).await.unwrap();

    let paused = t.store.pause_ask(ask.id, Timestamp::now()).await;

    assert!(matches!(paused, Err(StoreError::Conflict(_))), "{paused:?}");
}

async fn a_peer_added_by_hand_says_by_whom_and_is_never_asked_twice(t: Ctx) {
    let (asker, ana, cleo) = (t.member("Claire").await, t.member("Ana").await, concierge(&t).await);
    let ask = confirmed_ask(&t, &asker).await;

    let added = t.store.add_request_by_hand(ask.id, 1, &request(&ana), cleo.id, Timestamp::now()).await.unwrap();
    assert_eq!((added.added_by, added.state, added.withdrawn_at), (Some(cleo.id), RequestState::Open, None));

    let twice = t.store.add_request_by_hand(ask.id, 1, &request(&ana), cleo.id, Timestamp::now()).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    let by_the_matcher = t.store.add_requests(ask.id, 2, &[request(&ana)], Timestamp::now()).await.unwrap();
    assert!(by_the_matcher.is_empty(), "the matcher does not ask them again either");
    assert_eq!(t.store.requests_for_ask(ask.id).await.unwrap(), vec![added]);
}

async fn a_withdrawn_request_leaves_the_inbox_and_takes_no_answer_or_pass(t: Ctx) {
    let (asker, ana) = (t.member("Claire").await, t.member("Ana").await);
    let ask = confirmed_ask(&t, &asker).await;
    t.store.add_requests(ask.id, 1, &[request(&ana)], Timestamp::now()).await.unwrap();
    let at = Timestamp::from_millis(1_700_000_000_000);

    let withdrawn = t.store.withdraw_request(ask.id, ana.id, at).await.unwrap();

    assert_eq!((withdrawn.state, withdrawn.withdrawn_at), (RequestState::Open, Some(at)));
    assert!(t.store.inbox(ana.id).await.unwrap().is_empty());
    let listed = t.store.requests_for_ask(ask.id).await.unwrap();
    assert_eq!(listed.iter().map(|r| (r.member_id, r.withdrawn_at)).collect::<Vec<_>>(), [(ana.id, Some(at))]);
    let answered = t.store.add_answer(ask.id, ana.id, "Split the weeks", AnswerVia::Text, None, Timestamp::now()).await;
    assert!(matches!(answered, Err(StoreError::Conflict(_))), "{answered:?}");
    assert!(t.store.answers_for(ask.id).await.unwrap().is_empty());
    let passed = t.store.respond_to_request(ask.id, ana.id, RequestState::Passed, Timestamp::now()).await;
    assert!(matches!(passed, Err(StoreError::Conflict(_))), "{passed:?}");
    let twice = t.store.withdraw_request(ask.id, ana.id, Timestamp::now()).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
}

async fn only_an_open_request_can_be_withdrawn(t: Ctx) {
    let (asker, ana, ben) = (t.member("Claire").await, t.member("Ana").await, t.member("Ben").await);
    let ask = confirmed_ask(&t, &asker).await;
    t.store.add_requests(ask.id, 1, &[request(&ana)], Timestamp::now()).await.unwrap();
    t.store.add_answer(ask.id, ana.id, "Split the weeks", AnswerVia::Text, None, Timestamp::now()).await.unwrap();

    let answered = t.store.withdraw_request(ask.id, ana.id, Timestamp::now()).await;
    let never_asked = t.store.withdraw_request(ask.id, ben.id, Timestamp::now()).await;

    assert!(matches!(answered, Err(StoreError::Conflict(_))), "{answered:?}");
    assert!(matches!(never_asked, Err(StoreError::NotFound)), "{never_asked:?}");
    assert_eq!(t.store.get_request(ask.id, ana.id).await.unwrap().withdrawn_at, None);
}

/// An ask answered by Ana and Ben, with the digest the job would write.
async fn answered_twice(t: &Ctx) -> (Ask, Vec<coagent_store::Answer>, Vec<DigestPoint>) {
    let (asker, ana, ben) = (t.member("Claire").await, t.member("Ana").await, t.member("Ben").await);
    let ask = confirmed_ask(t, &asker).await;
    t.store.add_requests(ask.id, 1, &[request(&ana), request(&ben)], Timestamp::now()).await.unwrap();
    // A millisecond apart, so listing them by time always gives Ana's first.
    let start = Timestamp::now().as_millis();
    let mut answers = Vec::new();
    for (at, (peer, text)) in (start..).zip([(&ana, "Split the weeks."), (&ben, "Ask HR.")]) {
        let at = Timestamp::from_millis(at);
        answers.push(t.store.add_answer(ask.id, peer.id, text, AnswerVia::Text, None, at).await.unwrap());
    }
    let points: Vec<DigestPoint> = answers
        .iter()
        .zip(["Ana", "Ben"])
        .map(|(answer, author)| DigestPoint {
            answer_id: answer.id,
            author: author.into(),
            sentence: answer.text.clone(),
            source: "model".into(),
        })
        .collect();
    t.store.save_digest(ask.id, &points, Timestamp::now()).await.unwrap();
    (ask, answers, points)
}

async fn a_curated_digest_leaves_exactly_the_named_answers_out_and_says_who_curated_it(t: Ctx) {
    let cleo = concierge(&t).await;
    let (ask, answers, points) = answered_twice(&t).await;
    let rewritten = DigestPoint { sentence: "Each lead owns alternate weeks.".into(), ..points[0].clone() };
    let at = Timestamp::from_millis(1_700_000_000_000);

    let curated =
        t.store.curate_digest(ask.id, std::slice::from_ref(&rewritten), &[answers[1].id], cleo.id, at).await.unwrap();

    assert_eq!((curated.points.clone(), curated.answer_count), (vec![rewritten.clone()], 1));
    assert_eq!((curated.curated_by, curated.curated_at, curated.sent_at), (Some(cleo.id), Some(at), None));
    let left_out: Vec<bool> = t.store.answers_for(ask.id).await.unwrap().iter().map(|a| a.left_out).collect();
    assert_eq!(left_out, [false, true]);

    // Curating again with nobody left out brings the answer back; the job saving keeps the curator.
    t.store.curate_digest(ask.id, &[rewritten], &[], cleo.id, at).await.unwrap();
    assert!(t.store.answers_for(ask.id).await.unwrap().iter().all(|a| !a.left_out));
    let saved = t.store.save_digest(ask.id, &points, Timestamp::now()).await.unwrap();
    assert_eq!((saved.curated_by, saved.curated_at), (Some(cleo.id), Some(at)));
    assert_eq!(t.store.get_digest(ask.id).await.unwrap(), Some(saved));
}

async fn a_curation_naming_an_answer_of_another_ask_changes_nothing(t: Ctx) {
    let cleo = concierge(&t).await;
    let (ask, answers, points) = answered_twice(&t).await;
    let (other, other_answers, _) = answered_twice(&t).await;

    let curated = t.store.curate_digest(ask.id, &points[..1], &[other_answers[0].id], cleo.id, Timestamp::now()).await;

    assert!(matches!(curated, Err(StoreError::NotFound)), "{curated:?}");
    assert_eq!(t.store.get_digest(ask.id).await.unwrap().unwrap().points, points);
    assert_eq!(t.store.get_digest(ask.id).await.unwrap().unwrap().curated_by, None);
    assert!(t.store.answers_for(other.id).await.unwrap().iter().all(|a| !a.left_out));
    assert_eq!(t.store.answers_for(ask.id).await.unwrap(), answers);
}

async fn a_digest_sent_is_unsent_again_once_it_changes(t: Ctx) {
    let (ask, _, points) = answered_twice(&t).await;
    let digest = t.store.get_digest(ask.id).await.unwrap().unwrap();
    assert!(digest.is_unsent());

    let sent_at = Timestamp::from_millis(digest.created_at.as_millis() + 1_000);
    let sent = t.store.mark_digest_sent(ask.id, sent_at).await.unwrap();
    assert_eq!(sent.sent_at, Some(sent_at));
    assert!(!sent.is_unsent());

    let grown =
        t.store.save_digest(ask.id, &points, Timestamp::from_millis(sent_at.as_millis() + 1_000)).await.unwrap();
    assert_eq!(grown.sent_at, Some(sent_at), "saving keeps when it was last sent");
    assert!(grown.is_unsent());
    let nothing = t.store.mark_digest_sent(unknown_ask(), Timestamp::now()).await;
    assert!(matches!(nothing, Err(StoreError::NotFound)), "{nothing:?}");
}

async fn spoken_asks_and_answers_keep_their_timed_segments(t: Ctx) {
    let (asker, ana) = (t.member("Claire").await, t.member("Ana").await);
    let segments = vec![
        Segment { start_ms: 0, end_ms: 3_200, text: "The night shift".into() },
        Segment { start_ms: 3_200, end_ms: 5_000, text: "has no owner.".into() },
    ];
    let spoken = t
        .store
        .create_draft_with_segments(asker.id, "The night shift has no owner.", None, Some(&segments))
        .await
        .unwrap();
    assert_eq!(t.store.get_ask(spoken.id).await.unwrap().segments, Some(segments.clone()));
    let typed = t.store.create_draft(asker.id, "typed", None).await.unwrap();
    assert_eq!(typed.segments, None);

    let ask = confirmed_ask(&t, &asker).await;
    t.store.add_requests(ask.id, 1, &[request(&ana)], Timestamp::now()).await.unwrap();
    let answer = NewAnswer {
        ask_id: ask.id,
        member_id: ana.id,
        text: "Split the weeks.",
        via: AnswerVia::Voice,
        recording_id: None,
        segments: Some(&segments[..1]),
    };
    let stored = t.store.add_answer_with_segments(&answer, Timestamp::now()).await.unwrap();
    assert_eq!(stored.segments, Some(segments[..1].to_vec()));
    assert_eq!(t.store.get_answer(stored.id).await.unwrap(), stored);
}
