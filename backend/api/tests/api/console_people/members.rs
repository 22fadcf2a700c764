//! Members: invites, deactivation, the directory with load, and profile edits.

use coagent_store::{MemberId, Role};
use serde_json::json;

use super::{audit, json_of, member_id, NIGHT_SHIFT, NIGHT_SHIFT_EXPERTISE};
use crate::helpers::spawn_app;

#[tokio::test]
async fn an_invite_made_in_the_console_signs_in_once_and_is_audited_without_its_code() {
    let app = spawn_app().await;
    let rosa = app.sign_in(Role::Concierge, "Rosa").await;

    let invite =
        json_of(app.post_json(&rosa, "/api/v1/console/invites", json!({"name": "Dora", "role": "manager"})).await, 201)
            .await;

    let code = invite["code"].as_str().unwrap();
    assert_eq!(invite["link"], format!("http://127.0.0.1:8080/#/join/{code}"));
    let joined = json_of(app.post_session(code).await, 201).await;
    assert_eq!((joined["member"]["name"].as_str(), joined["member"]["role"].as_str()), (Some("Dora"), Some("manager")));
    assert_eq!(app.post_session(code).await.status(), 410, "single use");
    let entries = audit(&app, &rosa, "invite.create").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["after"], json!({"name": "Dora", "role": "manager"}));
    assert_eq!(entries[0]["actor"]["name"], "Rosa");
    assert!(!entries[0].to_string().contains(code), "the audit never holds the code");

    let bad_role = app.post_json(&rosa, "/api/v1/console/invites", json!({"name": "Eve", "role": "admin"})).await;
    assert_eq!(bad_role.status(), 422);
    let no_name = app.post_json(&rosa, "/api/v1/console/invites", json!({"name": "  ", "role": "manager"})).await;
    assert_eq!(no_name.status(), 422);
    let max = app.sign_in(Role::Manager, "Max").await;
    let by_manager = app.post_json(&max, "/api/v1/console/invites", json!({"name": "X", "role": "manager"})).await;
    assert_eq!(by_manager.status(), 403);
}

#[tokio::test]
async fn a_deactivated_member_is_signed_out_and_never_asked_until_reactivated() {
    let app = spawn_app().await;
    let rosa = app.sign_in(Role::Concierge, "Rosa").await;
    let claire = app.sign_in(Role::Manager, "Claire").await;
    let ana = app.sign_in(Role::Manager, "Ana").await;
    app.profile(&ana, NIGHT_SHIFT_EXPERTISE, "Maintenance", "Porto").await;
    let ana_id = member_id(&app, &ana).await;
    let asked = |ask: String| {
        let store = app.store.clone();
        async move {
            let requests = store.requests_for_ask(ask.parse().unwrap()).await.unwrap();
            requests.iter().map(|request| request.member_id.to_string()).collect::<Vec<_>>()
        }
    };
    let before = app.confirmed_ask(&claire, NIGHT_SHIFT).await;
    app.drain().await;
    assert_eq!(asked(before).await, vec![ana_id.clone()], "while active, Ana is the one to ask");

    let deactivated =
        json_of(app.post_json(&rosa, &format!("/api/v1/console/members/{ana_id}/deactivate"), json!({})).await, 200)
            .await;

    assert_eq!(deactivated["active"], false);
    let refused = json_of(app.get(&ana, "/api/v1/me").await, 401).await;
    assert_eq!(refused["error"]["code"], "invalid_session");
    let after = app.confirmed_ask(&claire, NIGHT_SHIFT).await;
    app.drain().await;
    assert!(asked(after).await.is_empty(), "a deactivated member is never routed to");
    let entries = audit(&app, &rosa, "member.deactivate").await;
    assert_eq!(
        (entries[0]["before"].clone(), entries[0]["after"].clone()),
        (json!({"active": true}), json!({"active": false}))
    );
    assert_eq!(entries[0]["subject_id"], ana_id.as_str());

    let rosa_id = member_id(&app, &rosa).await;
    let myself = app.post_json(&rosa, &format!("/api/v1/console/members/{rosa_id}/deactivate"), json!({})).await;
    assert_eq!(myself.status(), 409, "a concierge cannot deactivate themself");
    let ghost = "/api/v1/console/members/00000000-0000-4000-8000-000000000000/deactivate";
    assert_eq!(app.post_json(&rosa, ghost, json!({})).await.status(), 404);

    let reactivated =
        json_of(app.post_json(&rosa, &format!("/api/v1/console/members/{ana_id}/reactivate"), json!({})).await, 200)
            .await;
    assert_eq!(reactivated["active"], true);
    assert_eq!(app.get(&ana, "/api/v1/me").await.status(), 200, "the same session works again");
    assert_eq!(audit(&app, &rosa, "member.reactivate").await.len(), 1);
}

#[tokio::test]
async fn the_member_list_shows_each_profile_and_load() {
    let app = spawn_app().await;
    let rosa = app.sign_in(Role::Concierge, "Rosa").await;
    let claire = app.sign_in(Role::Manager, "Claire").await;
    let ana = app.sign_in(Role::Manager, "Ana").await;
    app.profile(&ana, NIGHT_SHIFT_EXPERTISE, "Maintenance", "Porto").await;
    let ana_id = member_id(&app, &ana).await;
    let first = app.confirmed_ask(&claire, NIGHT_SHIFT).await;
    let second = app.confirmed_ask(&claire, "Overtime approval on the night shift").await;
    app.confirmed_ask(&claire, "Night shift schedule ownership between team leads").await;
    app.drain().await;
    assert_eq!(
        app.post_json(&ana, &format!("/api/v1/asks/{first}/answers"), json!({"text": "Agree."})).await.status(),
        201
    );
    assert_eq!(app.post_json(&ana, &format!("/api/v1/asks/{second}/pass"), json!({})).await.status(), 204);

    let list = json_of(app.get(&rosa, "/api/v1/console/members").await, 200).await;

    let members = list["members"].as_array().unwrap();
    let mut names: Vec<&str> = members.iter().map(|m| m["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["Ana", "Claire", "Rosa"]);
    let joined: Vec<&str> = members.iter().map(|m| m["created_at"].as_str().unwrap()).collect();
    assert!(joined.windows(2).all(|pair| pair[0] <= pair[1]), "oldest first: {joined:?}");
    let by_name = |name: &str| members.iter().find(|m| m["name"] == name).unwrap();
    let row = by_name("Ana");
    assert_eq!(
        (row["id"].as_str(), row["role"].as_str(), row["active"].as_bool()),
        (Some(ana_id.as_str()), Some("manager"), Some(true))
    );
    assert_eq!(row["profile"]["expertise"], NIGHT_SHIFT_EXPERTISE);
    assert_eq!(row["profile"]["team"], "Maintenance");
    // Asked for three asks this week: answered one, passed one, one still open.
    assert_eq!(
        row["load"],
        json!({"open_requests": 1, "asked_this_week": 3, "weekly_budget": 5, "answered": 1, "passed": 1})
    );
    assert_eq!(
        by_name("Rosa")["load"],
        json!({"open_requests": 0, "asked_this_week": 0, "weekly_budget": 2, "answered": 0, "passed": 0})
    );
}

#[tokio::test]
async fn a_concierge_edits_a_profile_with_the_same_validation_and_an_audit_entry() {
    let app = spawn_app().await;
    let rosa = app.sign_in(Role::Concierge, "Rosa").await;
    let ana = app.sign_in(Role::Manager, "Ana").await;
    app.profile(&ana, "Payroll questions", "HR", "Lyon").await;
    let ana_id = member_id(&app, &ana).await;
    let id: MemberId = ana_id.parse().unwrap();
    let embedding_before = app.store.get_profile(id).await.unwrap().expertise_embedding;
    let path = format!("/api/v1/console/members/{ana_id}/profile");
    let profile = |timezone: &str, budget: u32| {
        json!({
            "expertise": "Night shift schedules", "team": "Ops", "site": "Porto", "timezone": timezone,
            "quiet_hours": {"start": "20:00", "end": "07:00"}, "weekly_budget": budget,
            "contact": {"email": "ana@example.com", "phone": null},
        })
    };

    assert_eq!(app.put_json(&rosa, &path, profile("Mars/Olympus", 3)).await.status(), 422);
    assert_eq!(app.put_json(&rosa, &path, profile("Europe/Lisbon", 99)).await.status(), 422);
    let edited = json_of(app.put_json(&rosa, &path, profile("Europe/Lisbon", 3)).await, 200).await;

    assert_eq!(edited["profile"]["expertise"], "Night shift schedules");
    assert_eq!(edited["load"]["weekly_budget"], 3);
    let me = json_of(app.get(&ana, "/api/v1/me").await, 200).await;
    assert_eq!(
        (me["profile"]["site"].as_str(), me["profile"]["timezone"].as_str()),
        (Some("Porto"), Some("Europe/Lisbon"))
    );
    let embedding_after = app.store.get_profile(id).await.unwrap().expertise_embedding;
    assert!(embedding_after.is_some() && embedding_after != embedding_before, "the new expertise is embedded");
    let entries = audit(&app, &rosa, "profile.edit").await;
    assert_eq!(entries.len(), 1, "refused edits are not audited");
    assert_eq!(
        (entries[0]["subject_kind"].as_str(), entries[0]["subject_id"].as_str()),
        (Some("member"), Some(ana_id.as_str()))
    );
    assert_eq!(entries[0]["before"]["expertise"], "Payroll questions");
    assert_eq!(entries[0]["after"]["expertise"], "Night shift schedules");
    assert_eq!(entries[0]["after"]["weekly_budget"], 3);
    assert_eq!(app.put_json(&ana, &path, profile("Europe/Lisbon", 3)).await.status(), 403);
}
