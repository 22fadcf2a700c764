use coagent_store::{AskStatus, CardEdits, CardSource, ProblemCard, RecordingPurpose, StoreError};

use crate::common::{on_both_backends, Ctx};

on_both_backends!(
    a_new_draft_has_no_card_and_belongs_to_its_asker,
    a_draft_is_visible_to_its_asker_only,
    a_members_asks_are_listed_newest_first,
    the_summarizer_can_replace_a_drafts_card,
    a_draft_without_a_card_cannot_be_confirmed,
    confirming_applies_the_askers_edits_and_marks_the_card_edited,
    confirming_without_real_changes_does_not_count_as_editing,
    a_confirmed_ask_cannot_be_confirmed_again,
    another_member_cannot_confirm_my_draft,
    a_confirmed_card_can_no_longer_be_replaced,
    an_ask_moves_from_routed_to_answered_to_closed_one_step_at_a_time,
    a_draft_can_be_dropped_but_not_routed,
    two_asks_from_one_recording_are_a_conflict,
    an_ask_for_an_unknown_member_is_not_found,
);

fn card(title: &str) -> ProblemCard {
    ProblemCard {
        title: title.to_owned(),
        summary: "The night shift keeps missing handover notes.".to_owned(),
        help_needed: "How did you make handovers stick?".to_owned(),
        tags: vec!["handover".to_owned(), "night shift".to_owned()],
    }
}

async fn a_new_draft_has_no_card_and_belongs_to_its_asker(t: Ctx) {
    let asker = t.member("Marc").await;

    let ask = t.store.create_draft(asker.id, "the night shift keeps missing…", None).await.unwrap();

    assert_eq!((ask.member_id, ask.status, ask.card.clone()), (asker.id, AskStatus::Draft, None));
    assert_eq!(t.store.get_ask(ask.id).await.unwrap(), ask);
}

async fn a_draft_is_visible_to_its_asker_only(t: Ctx) {
    let asker = t.member("Marc").await;
    let stranger = t.member("Nadia").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();

    assert_eq!(t.store.get_own_ask(asker.id, ask.id).await.unwrap(), ask);
    let peeked = t.store.get_own_ask(stranger.id, ask.id).await;
    assert!(matches!(peeked, Err(StoreError::NotFound)), "{peeked:?}");
    assert!(t.store.list_asks_for(stranger.id).await.unwrap().is_empty());
}

async fn a_members_asks_are_listed_newest_first(t: Ctx) {
    let asker = t.member("Marc").await;
    let older = t.store.create_draft(asker.id, "first", None).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    let newer = t.store.create_draft(asker.id, "second", None).await.unwrap();

    let listed: Vec<_> = t.store.list_asks_for(asker.id).await.unwrap().into_iter().map(|ask| ask.id).collect();

    assert_eq!(listed, vec![newer.id, older.id]);
}

async fn the_summarizer_can_replace_a_drafts_card(t: Ctx) {
    let asker = t.member("Marc").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();
    t.store.update_card(ask.id, &card("First try"), CardSource::Extractive).await.unwrap();

    let ask = t.store.update_card(ask.id, &card("Handover notes"), CardSource::Model).await.unwrap();

    let stored = ask.card.unwrap();
    assert_eq!((stored.card, stored.source, stored.edited), (card("Handover notes"), CardSource::Model, false));
}

async fn a_draft_without_a_card_cannot_be_confirmed(t: Ctx) {
    let asker = t.member("Marc").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();

    let outcome = t.store.confirm(asker.id, ask.id, CardEdits::default(), false).await;

    assert!(matches!(outcome, Err(StoreError::AskHasNoCard)), "{outcome:?}");
    assert_eq!(t.store.get_ask(ask.id).await.unwrap().status, AskStatus::Draft);
}

async fn confirming_applies_the_askers_edits_and_marks_the_card_edited(t: Ctx) {
    let asker = t.member("Marc").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();
    t.store.update_card(ask.id, &card("Handover notes"), CardSource::Model).await.unwrap();
    let edits = CardEdits {
        title: Some("Night handovers get lost".to_owned()),
        tags: Some(vec!["handover".to_owned()]),
        ..CardEdits::default()
    };

    let confirmed = t.store.confirm(asker.id, ask.id, edits, false).await.unwrap();

    assert_eq!(confirmed.status, AskStatus::Confirmed);
    let stored = confirmed.card.unwrap();
    assert_eq!(stored.card.title, "Night handovers get lost");
    assert_eq!(stored.card.tags, vec!["handover".to_owned()]);
    assert_eq!(stored.card.summary, card("x").summary, "fields not edited keep the proposal");
    assert!(stored.edited);
}

async fn confirming_without_real_changes_does_not_count_as_editing(t: Ctx) {
    let asker = t.member("Marc").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();
    t.store.update_card(ask.id, &card("Handover notes"), CardSource::Model).await.unwrap();
    let same = CardEdits { title: Some("Handover notes".to_owned()), ..CardEdits::default() };

    let confirmed = t.store.confirm(asker.id, ask.id, same, false).await.unwrap();

    assert!(!confirmed.card.unwrap().edited);
}

async fn a_confirmed_ask_cannot_be_confirmed_again(t: Ctx) {
    let asker = t.member("Marc").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();
    t.store.update_card(ask.id, &card("Handover notes"), CardSource::Model).await.unwrap();
    t.store.confirm(asker.id, ask.id, CardEdits::default(), false).await.unwrap();

    let again = t.store.confirm(asker.id, ask.id, CardEdits::default(), false).await;

    assert!(
        matches!(again, Err(StoreError::InvalidTransition { from: AskStatus::Confirmed, to: AskStatus::Confirmed })),
        "{again:?}"
    );
}

async fn another_member_cannot_confirm_my_draft(t: Ctx) {
    let asker = t.member("Marc").await;
    let stranger = t.member("Nadia").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();
    t.store.update_card(ask.id, &card("Handover notes"), CardSource::Model).await.unwrap();

    let outcome = t.store.confirm(stranger.id, ask.id, CardEdits::default(), false).await;

    assert!(matches!(outcome, Err(StoreError::NotFound)), "{outcome:?}");
    assert_eq!(t.store.get_ask(ask.id).await.unwrap().status, AskStatus::Draft);
}

async fn a_confirmed_card_can_no_longer_be_replaced(t: Ctx) {
    let asker = t.member("Marc").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();
    t.store.update_card(ask.id, &card("Handover notes"), CardSource::Model).await.unwrap();
    t.store.confirm(asker.id, ask.id, CardEdits::default(), false).await.unwrap();

    let outcome = t.store.update_card(ask.id, &card("Late summary"), CardSource::Model).await;

    assert!(matches!(outcome, Err(StoreError::AskNotDraft(AskStatus::Confirmed))), "{outcome:?}");
    assert_eq!(t.store.get_ask(ask.id).await.unwrap().card.unwrap().card.title, "Handover notes");
}

async fn an_ask_moves_from_routed_to_answered_to_closed_one_step_at_a_time(t: Ctx) {
    let asker = t.member("Marc").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();
    t.store.update_card(ask.id, &card("Handover notes"), CardSource::Model).await.unwrap();
    t.store.confirm(asker.id, ask.id, CardEdits::default(), false).await.unwrap();

    let skipped = t.store.advance_ask(ask.id, AskStatus::Answered).await;
    assert!(matches!(skipped, Err(StoreError::InvalidTransition { .. })), "{skipped:?}");

    for next in [AskStatus::Routed, AskStatus::Answered, AskStatus::Closed] {
        assert_eq!(t.store.advance_ask(ask.id, next).await.unwrap().status, next);
    }
    let reopened = t.store.advance_ask(ask.id, AskStatus::Routed).await;
    assert!(matches!(reopened, Err(StoreError::InvalidTransition { from: AskStatus::Closed, .. })));
}

async fn a_draft_can_be_dropped_but_not_routed(t: Ctx) {
    let asker = t.member("Marc").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();

    let routed = t.store.advance_ask(ask.id, AskStatus::Routed).await;
    let confirmed_behind_the_askers_back = t.store.advance_ask(ask.id, AskStatus::Confirmed).await;

    assert!(matches!(routed, Err(StoreError::InvalidTransition { from: AskStatus::Draft, .. })));
    assert!(matches!(confirmed_behind_the_askers_back, Err(StoreError::InvalidTransition { .. })));
    assert_eq!(t.store.advance_ask(ask.id, AskStatus::Closed).await.unwrap().status, AskStatus::Closed);
}

async fn two_asks_from_one_recording_are_a_conflict(t: Ctx) {
    let asker = t.member("Marc").await;
    let recording = t.store.create_recording(asker.id, RecordingPurpose::Ask, None, 16_000).await.unwrap();
    t.store.create_draft(asker.id, "text", Some(recording.id)).await.unwrap();

    let second = t.store.create_draft(asker.id, "text", Some(recording.id)).await;

    assert!(matches!(second, Err(StoreError::Conflict(_))), "{second:?}");
}

async fn an_ask_for_an_unknown_member_is_not_found(t: Ctx) {
    let ghost = "00000000-0000-4000-8000-000000000000".parse().unwrap();

    let outcome = t.store.create_draft(ghost, "text", None).await;

    assert!(matches!(outcome, Err(StoreError::NotFound)), "{outcome:?}");
}
