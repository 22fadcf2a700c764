use std::time::Duration;

use coagent_store::{InviteCode, Role, StoreError, Timestamp};

use crate::common::{on_both_backends, Ctx};

const DAY: Duration = Duration::from_secs(24 * 3600);

on_both_backends!(
    a_redeemed_invite_creates_an_active_member_with_its_name_and_role,
    an_invite_cannot_be_redeemed_twice,
    an_expired_invite_cannot_be_redeemed,
    an_unknown_code_is_rejected,
    of_many_concurrent_redeems_of_one_code_exactly_one_wins,
    the_database_keeps_only_a_hash_of_the_code,
    a_used_invite_is_no_longer_listed_and_names_its_member,
);

async fn a_redeemed_invite_creates_an_active_member_with_its_name_and_role(t: Ctx) {
    let (code, invite) = t.store.create_invite(Role::Concierge, "Claire", DAY).await.unwrap();
    assert_eq!(invite.expires_at.as_millis() - invite.created_at.as_millis(), 86_400_000);

    let member = t.store.redeem_invite(&code, Timestamp::now()).await.unwrap();

    assert_eq!((member.name.as_str(), member.role, member.active), ("Claire", Role::Concierge, true));
    assert_eq!(t.store.get_member(member.id).await.unwrap(), member);
}

async fn an_invite_cannot_be_redeemed_twice(t: Ctx) {
    let (code, _) = t.store.create_invite(Role::Manager, "Marc", DAY).await.unwrap();
    t.store.redeem_invite(&code, Timestamp::now()).await.unwrap();

    let again = t.store.redeem_invite(&code, Timestamp::now()).await;

    assert!(matches!(again, Err(StoreError::InviteUsed)), "{again:?}");
    assert_eq!(t.store.list_members().await.unwrap().len(), 1);
}

async fn an_expired_invite_cannot_be_redeemed(t: Ctx) {
    let (code, invite) = t.store.create_invite(Role::Manager, "Marc", DAY).await.unwrap();

    let at_expiry = t.store.redeem_invite(&code, invite.expires_at).await;

    assert!(matches!(at_expiry, Err(StoreError::InviteExpired)), "{at_expiry:?}");
    // Still usable a millisecond before: expiry did not consume it.
    let just_before = Timestamp::from_millis(invite.expires_at.as_millis() - 1);
    t.store.redeem_invite(&code, just_before).await.unwrap();
}

async fn an_unknown_code_is_rejected(t: Ctx) {
    t.store.create_invite(Role::Manager, "Marc", DAY).await.unwrap();

    let outcome = t.store.redeem_invite(&InviteCode::new("not-a-real-code"), Timestamp::now()).await;

    assert!(matches!(outcome, Err(StoreError::InviteUnknown)), "{outcome:?}");
}

async fn of_many_concurrent_redeems_of_one_code_exactly_one_wins(t: Ctx) {
    let (code, _) = t.store.create_invite(Role::Manager, "Marc", DAY).await.unwrap();

    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let (store, code) = (t.store.clone(), code.clone());
            tokio::spawn(async move { store.redeem_invite(&code, Timestamp::now()).await })
        })
        .collect();
    let mut winners = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => winners += 1,
            Err(StoreError::InviteUsed) => {}
            Err(other) => panic!("a losing redeem must say the code was used, got {other:?}"),
        }
    }

    assert_eq!(winners, 1);
    assert_eq!(t.store.list_members().await.unwrap().len(), 1);
}

async fn the_database_keeps_only_a_hash_of_the_code(t: Ctx) {
    let (code, _) = t.store.create_invite(Role::Manager, "Marc", DAY).await.unwrap();

    let stored = t.texts("SELECT code_hash FROM invites").await;

    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], code.expose());
    assert!(!stored[0].contains(code.expose()));
    assert_eq!(stored[0].len(), 64, "hex SHA-256");
}

async fn a_used_invite_is_no_longer_listed_and_names_its_member(t: Ctx) {
    let (used, _) = t.store.create_invite(Role::Manager, "Marc", DAY).await.unwrap();
    let (_, open) = t.store.create_invite(Role::Manager, "Nadia", DAY).await.unwrap();
    let member = t.store.redeem_invite(&used, Timestamp::now()).await.unwrap();

    let listed = t.store.list_unused_invites().await.unwrap();

    assert_eq!(listed, vec![open]);
    let owners = t.texts("SELECT member_id FROM invites WHERE member_id IS NOT NULL").await;
    assert_eq!(owners, vec![member.id.to_string()]);
}
