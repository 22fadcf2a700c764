use std::time::Duration;

use coagent_store::{MemberId, SessionToken, StoreError, Timestamp};

use crate::common::{on_both_backends, Ctx};

const HOUR: Duration = Duration::from_secs(3600);

on_both_backends!(
    a_fresh_token_identifies_its_member,
    a_token_identifies_nobody_once_expired,
    an_unknown_token_identifies_nobody,
    a_token_stops_working_after_signing_out,
    signing_a_member_out_everywhere_ends_all_their_sessions,
    a_deactivated_members_token_identifies_nobody,
    the_database_keeps_only_a_hash_of_the_token,
    housekeeping_forgets_only_expired_sessions,
    a_session_for_an_unknown_member_is_not_found,
);

async fn a_fresh_token_identifies_its_member(t: Ctx) {
    let member = t.member("Marc").await;

    let (token, session) = t.store.create_session(member.id, HOUR).await.unwrap();

    assert_eq!(session.member_id, member.id);
    assert_eq!(t.store.member_for_token(&token, Timestamp::now()).await.unwrap(), Some(member));
}

async fn a_token_identifies_nobody_once_expired(t: Ctx) {
    let member = t.member("Marc").await;
    let (token, session) = t.store.create_session(member.id, HOUR).await.unwrap();

    let just_before = Timestamp::from_millis(session.expires_at.as_millis() - 1);
    assert!(t.store.member_for_token(&token, just_before).await.unwrap().is_some());
    assert_eq!(t.store.member_for_token(&token, session.expires_at).await.unwrap(), None);
}

async fn an_unknown_token_identifies_nobody(t: Ctx) {
    let member = t.member("Marc").await;
    t.store.create_session(member.id, HOUR).await.unwrap();

    let nobody = t.store.member_for_token(&SessionToken::new("forged"), Timestamp::now()).await.unwrap();

    assert_eq!(nobody, None);
}

async fn a_token_stops_working_after_signing_out(t: Ctx) {
    let member = t.member("Marc").await;
    let (token, _) = t.store.create_session(member.id, HOUR).await.unwrap();
    let (other_device, _) = t.store.create_session(member.id, HOUR).await.unwrap();

    t.store.end_session(&token).await.unwrap();

    assert_eq!(t.store.member_for_token(&token, Timestamp::now()).await.unwrap(), None);
    assert!(t.store.member_for_token(&other_device, Timestamp::now()).await.unwrap().is_some());
}

async fn signing_a_member_out_everywhere_ends_all_their_sessions(t: Ctx) {
    let member = t.member("Marc").await;
    let other = t.member("Nadia").await;
    let (phone, _) = t.store.create_session(member.id, HOUR).await.unwrap();
    let (laptop, _) = t.store.create_session(member.id, HOUR).await.unwrap();
    let (theirs, _) = t.store.create_session(other.id, HOUR).await.unwrap();

    assert_eq!(t.store.end_sessions_of(member.id).await.unwrap(), 2);

    for token in [&phone, &laptop] {
        assert_eq!(t.store.member_for_token(token, Timestamp::now()).await.unwrap(), None);
    }
    assert!(t.store.member_for_token(&theirs, Timestamp::now()).await.unwrap().is_some());
}

async fn a_deactivated_members_token_identifies_nobody(t: Ctx) {
    let member = t.member("Marc").await;
    let (token, _) = t.store.create_session(member.id, HOUR).await.unwrap();

    t.store.set_member_active(member.id, false).await.unwrap();

    assert_eq!(t.store.member_for_token(&token, Timestamp::now()).await.unwrap(), None);
}

async fn the_database_keeps_only_a_hash_of_the_token(t: Ctx) {
    let member = t.member("Marc").await;
    let (token, _) = t.store.create_session(member.id, HOUR).await.unwrap();

    let stored = t.texts("SELECT token_hash FROM sessions").await;

    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(token.expose()));
}

async fn housekeeping_forgets_only_expired_sessions(t: Ctx) {
    let member = t.member("Marc").await;
    let (_, short) = t.store.create_session(member.id, Duration::from_secs(60)).await.unwrap();
    let (long, _) = t.store.create_session(member.id, HOUR).await.unwrap();

    let forgotten = t.store.delete_expired_sessions(short.expires_at).await.unwrap();

    assert_eq!(forgotten, 1);
    assert!(t.store.member_for_token(&long, short.expires_at).await.unwrap().is_some());
}

async fn a_session_for_an_unknown_member_is_not_found(t: Ctx) {
    t.member("Marc").await;
    let ghost: MemberId = "00000000-0000-4000-8000-000000000000".parse().unwrap();

    let outcome = t.store.create_session(ghost, HOUR).await;

    assert!(matches!(outcome, Err(StoreError::NotFound)), "{outcome:?}");
}
