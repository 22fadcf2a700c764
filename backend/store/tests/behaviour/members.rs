use coagent_store::{Role, StoreError};

use crate::common::{on_both_backends, Ctx};

on_both_backends!(
    a_created_member_is_active_and_can_be_read_back,
    members_are_listed_oldest_first,
    a_member_can_be_deactivated_and_reactivated,
    an_unknown_member_is_not_found,
);

async fn a_created_member_is_active_and_can_be_read_back(t: Ctx) {
    let member = t.store.create_member("Claire", Role::Concierge).await.unwrap();

    assert!(member.active);
    assert_eq!(t.store.get_member(member.id).await.unwrap(), member);
}

async fn members_are_listed_oldest_first(t: Ctx) {
    let first = t.member("Ana").await;
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    let second = t.member("Bo").await;

    let names: Vec<_> = t.store.list_members().await.unwrap().into_iter().map(|m| m.id).collect();

    assert_eq!(names, vec![first.id, second.id]);
}

async fn a_member_can_be_deactivated_and_reactivated(t: Ctx) {
    let member = t.member("Marc").await;

    assert!(!t.store.set_member_active(member.id, false).await.unwrap().active);
    assert!(!t.store.get_member(member.id).await.unwrap().active);
    assert!(t.store.set_member_active(member.id, true).await.unwrap().active);
}

async fn an_unknown_member_is_not_found(t: Ctx) {
    let ghost = "00000000-0000-4000-8000-000000000000".parse().unwrap();

    assert!(matches!(t.store.get_member(ghost).await, Err(StoreError::NotFound)));
    assert!(matches!(t.store.set_member_active(ghost, false).await, Err(StoreError::NotFound)));
}
