use coagent_store::{AuditQuery, NewAuditEntry, Role, Timestamp};
use serde_json::json;

use crate::common::{on_both_backends, Ctx};

on_both_backends!(audit_entries_list_newest_first_with_their_states, audit_entries_filter_by_subject_and_page);

fn entry(actor: &coagent_store::Member, action: &str, subject_id: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor_id: actor.id,
        action: action.into(),
        subject_kind: "ask".into(),
        subject_id: subject_id.into(),
        before: Some(json!({"title": "Old"})),
        after: Some(json!({"title": "New"})),
    }
}

async fn audit_entries_list_newest_first_with_their_states(t: Ctx) {
    let concierge = t.store.create_member("Cleo", Role::Concierge).await.unwrap();
    t.store.record_audit(&entry(&concierge, "card.edit", "a1"), Timestamp::from_millis(1_000)).await.unwrap();
    let second = NewAuditEntry { before: None, after: None, ..entry(&concierge, "ask.pause", "a1") };
    t.store.record_audit(&second, Timestamp::from_millis(2_000)).await.unwrap();

    let listed = t.store.list_audit(&AuditQuery { limit: 10, ..AuditQuery::default() }).await.unwrap();
    let actions: Vec<&str> = listed.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(actions, ["ask.pause", "card.edit"]);
    assert_eq!(listed[1].actor_name, "Cleo");
    assert_eq!(listed[1].before, Some(json!({"title": "Old"})));
    assert_eq!(listed[1].after, Some(json!({"title": "New"})));
    assert_eq!(listed[0].before, None);
}

async fn audit_entries_filter_by_subject_and_page(t: Ctx) {
    let concierge = t.store.create_member("Cleo", Role::Concierge).await.unwrap();
    for (at, subject) in [(1_000, "a1"), (2_000, "a2"), (3_000, "a1")] {
        t.store.record_audit(&entry(&concierge, "card.edit", subject), Timestamp::from_millis(at)).await.unwrap();
    }
    let about_a1 = AuditQuery { subject: Some(("ask".into(), "a1".into())), limit: 10, before: None };
    let listed = t.store.list_audit(&about_a1).await.unwrap();
    assert_eq!(listed.iter().map(|entry| entry.created_at.as_millis()).collect::<Vec<_>>(), [3_000, 1_000]);

    let older = AuditQuery { before: Some(Timestamp::from_millis(3_000)), limit: 1, subject: None };
    let page = t.store.list_audit(&older).await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].subject_id, "a2");
}
