//! The network half through the API with a real push service on loopback: who is asked for a
//! confirmed ask, what they are sent (verified and decrypted by the test push service), and
//! how dead, busy and restarted deliveries behave. Then answers, the digest, ratings, contacts.

use std::time::Duration;

use coagent_push::testing::{Response, TestPushService};
use coagent_push::Subscription;
use coagent_store::{MemberId, Role, Timestamp};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, Options, TestApp};

struct Peer {
    name: &'static str,
    token: String,
    subscription: Subscription,
}

const NIGHT_SHIFT: &str = "Two team leads keep fighting over who owns the night shift schedule and overtime approval.";

/// A manager plus four peers with different expertise, each subscribed at the push service.
async fn network(app: &TestApp, push: &TestPushService) -> (String, Vec<Peer>) {
    let key: Value = app.get("", "/api/v1/push/vapid-public-key").await.json().await.unwrap();
    push.expect_vapid_key(key["public_key"].as_str().unwrap());
    let manager = app.sign_in(Role::Manager, "Claire").await;
    app.profile(&manager, "Plant management", "Ops", "Lyon").await;
    let people = [
        ("Ana", "Night shift schedule ownership and overtime approval between team leads", "Maintenance", "Porto"),
        ("Ben", "Overtime approval rules for the night shift", "Ops", "Lyon"),
        ("Chloe", "Mediation when two team leads fight over ownership", "HR", "Lyon"),
        ("Dan", "Accounting, invoices and quarterly taxes", "Finance", "Paris"),
    ];
    let mut peers = Vec::new();
    for (name, expertise, team, site) in people {
        let token = app.sign_in(Role::Manager, name).await;
        app.profile(&token, expertise, team, site).await;
        let subscription = push.subscribe();
        let response =
            app.post_json(&token, "/api/v1/push/subscriptions", serde_json::to_value(&subscription).unwrap()).await;
        assert_eq!(response.status(), 201);
        peers.push(Peer { name, token, subscription });
    }
    (manager, peers)
}

fn teasers(push: &TestPushService, peer: &Peer) -> Vec<Value> {
    push.received_for(&peer.subscription).iter().map(|p| serde_json::from_slice(&p.payload).unwrap()).collect()
}

#[tokio::test]
async fn the_most_relevant_peers_are_notified_with_a_decryptable_teaser() {
    let (app, push) = (spawn_app().await, TestPushService::start().await);
    let (manager, peers) = network(&app, &push).await;

    let ask_id = app.confirmed_ask(&manager, NIGHT_SHIFT).await;
    app.drain().await;

    let ask: Value = app.get(&manager, &format!("/api/v1/asks/{ask_id}")).await.json().await.unwrap();
    assert_eq!(ask["status"], "routed");
    let asked: Vec<&str> = ask["asked"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(asked.len(), 3, "{ask}");
    assert_eq!(asked[0], "Ana", "the closest expertise, from another team and site, comes first: {ask}");
    assert!(!asked.contains(&"Dan"), "unrelated expertise is not asked: {ask}");
    assert!(ask["asked"][0]["reasons"]["summary"].as_str().unwrap().len() > 10);
    for peer in &peers {
        let got = teasers(&push, peer);
        if asked.contains(&peer.name) {
            assert_eq!(got.len(), 1, "{} gets one notification", peer.name);
            assert_eq!((got[0]["kind"].as_str(), got[0]["ask_id"].as_str()), (Some("request"), Some(ask_id.as_str())));
            assert_eq!(got[0]["asker"], "Claire");
            assert!(got[0]["url"].as_str().unwrap().ends_with(&ask_id));
            assert!(got[0].get("summary").is_none(), "a teaser carries no problem text");
        } else {
            assert!(got.is_empty(), "{} was not asked", peer.name);
        }
    }
    assert!(push.failures().is_empty(), "{:?}", push.failures());
    let received = push.received();
    assert!(received.iter().all(|p| p.ttl > Duration::ZERO && p.urgency.is_some()));
    app.cleanup().await;
}

#[tokio::test]
async fn a_subscription_the_push_service_calls_gone_is_deleted() {
    let (app, push) = (spawn_app().await, TestPushService::start().await);
    let (manager, peers) = network(&app, &push).await;
    push.respond_with(&peers[0].subscription, Response::Gone);

    app.confirmed_ask(&manager, NIGHT_SHIFT).await;
    app.drain().await;

    let ana = member_id(&app, &peers[0].token).await;
    assert!(app.store.subscriptions_of(ana).await.unwrap().is_empty(), "410 deletes the subscription");
    assert_eq!(push.requests_for(&peers[0].subscription), 1, "and it is not tried again");
    app.cleanup().await;
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_after_the_delay() {
    let (app, push) = (spawn_app().await, TestPushService::start().await);
    let (manager, peers) = network(&app, &push).await;
    push.respond_with(&peers[0].subscription, Response::ServiceUnavailable { retry_after_secs: 7, times: 1 });

    app.confirmed_ask(&manager, NIGHT_SHIFT).await;
    app.drain().await;
    assert!(teasers(&push, &peers[0]).is_empty());
    app.drain_after(Duration::from_secs(3)).await;
    assert!(teasers(&push, &peers[0]).is_empty(), "not before Retry-After");

    app.drain_after(Duration::from_secs(8)).await;

    assert_eq!(teasers(&push, &peers[0]).len(), 1);
    assert_eq!(push.requests_for(&peers[0].subscription), 2);
    app.cleanup().await;
}

#[tokio::test]
async fn nothing_is_sent_twice_after_a_restart_mid_outbox() {
    let push = TestPushService::start().await;
    let first = spawn_app().await;
    let (manager, peers) = network(&first, &push).await;
    let ask_id = first.confirmed_ask(&manager, NIGHT_SHIFT).await;
    let now = Timestamp::now();
    first.runner.run_due_of(&["route"], now).await.unwrap();
    // One notification is claimed by a worker that then dies before sending it.
    let in_flight = first.store.claim(&["push"], "crashed", Duration::from_secs(2), now).await.unwrap();
    assert!(in_flight.is_some());
    first.runner.run_due_of(&["push"], now).await.unwrap();
    assert_eq!(push.received().len(), 2, "the others went out before the crash");

    // The restart: the same data directory, a new server and runner; routing is replayed too.
    let second = spawn_app_with(Options { data_dir: Some(first.data_dir), ..Options::default() }).await;
    let replay = second.store.enqueue("route", &json!({ "ask_id": ask_id }), now).await;
    assert!(replay.is_ok());
    second.drain_after(Duration::from_secs(3)).await;

    let per_peer: Vec<usize> = peers.iter().map(|peer| teasers(&push, peer).len()).collect();
    assert_eq!(
        per_peer.iter().sum::<usize>(),
        3,
        "the abandoned notification went out after the restart: {per_peer:?}"
    );
    assert!(per_peer.iter().all(|&n| n <= 1), "nobody notified twice: {per_peer:?}");
    let ask: Value = second.get(&manager, &format!("/api/v1/asks/{ask_id}")).await.json().await.unwrap();
    assert_eq!(ask["asked"].as_array().unwrap().len(), 3, "the replayed routing asked nobody twice");
    second.cleanup().await;
}

#[tokio::test]
async fn answers_make_a_digest_the_asker_is_notified_of_and_rates() {
    let (app, push) = (spawn_app().await, TestPushService::start().await);
    let (manager, peers) = network(&app, &push).await;
    let asker_push = push.subscribe();
    app.post_json(&manager, "/api/v1/push/subscriptions", serde_json::to_value(&asker_push).unwrap()).await;
    let ask_id = app.confirmed_ask(&manager, NIGHT_SHIFT).await;
    app.drain().await;

    let inbox: Value = app.get(&peers[0].token, "/api/v1/inbox").await.json().await.unwrap();
    assert_eq!(inbox["requests"][0]["ask_id"], ask_id.as_str());
    let peer_view: Value = app.get(&peers[0].token, &format!("/api/v1/asks/{ask_id}")).await.json().await.unwrap();
    assert_eq!(peer_view["asker"]["name"], "Claire");
    assert!(peer_view.get("transcript").is_none(), "a peer sees the card, not the transcript");
    let stranger = &peers[3];
    assert_eq!(app.get(&stranger.token, &format!("/api/v1/asks/{ask_id}")).await.status(), 404);
    let answered = app
        .post_json(
            &peers[0].token,
            &format!("/api/v1/asks/{ask_id}/answers"),
            json!({"text": "Split the weeks. Each lead owns one."}),
        )
        .await;
    assert_eq!(answered.status(), 201);
    let twice =
        app.post_json(&peers[0].token, &format!("/api/v1/asks/{ask_id}/answers"), json!({"text": "again"})).await;
    assert_eq!(twice.status(), 409);
    assert_eq!(
        app.post_json(&stranger.token, &format!("/api/v1/asks/{ask_id}/answers"), json!({"text": "x"})).await.status(),
        404
    );
    app.drain().await;

    let ask: Value = app.get(&manager, &format!("/api/v1/asks/{ask_id}")).await.json().await.unwrap();
    assert_eq!(ask["status"], "answered");
    assert_eq!(ask["digest"]["text"], "Ana: Split the weeks.");
    let digest_pushes: Vec<Value> =
        push.received_for(&asker_push).iter().map(|p| serde_json::from_slice(&p.payload).unwrap()).collect();
    assert_eq!(digest_pushes.len(), 1);
    assert_eq!(
        (digest_pushes[0]["kind"].as_str(), digest_pushes[0]["ask_id"].as_str()),
        (Some("digest"), Some(ask_id.as_str()))
    );

    let answer_id = ask["answers"][0]["id"].as_str().unwrap();
    let rated = app
        .post_json(
            &manager,
            &format!("/api/v1/asks/{ask_id}/feedback"),
            json!({"answer_id": answer_id, "helpful": true}),
        )
        .await;
    assert_eq!(rated.status(), 204);
    let by_peer = app
        .post_json(
            &peers[0].token,
            &format!("/api/v1/asks/{ask_id}/feedback"),
            json!({"answer_id": answer_id, "helpful": false}),
        )
        .await;
    assert_eq!(by_peer.status(), 404);
    let ask: Value = app.get(&manager, &format!("/api/v1/asks/{ask_id}")).await.json().await.unwrap();
    assert_eq!(ask["answers"][0]["helpful"], true);
    app.cleanup().await;
}

#[tokio::test]
async fn passing_and_referring_hand_the_request_on() {
    let (app, push) = (spawn_app().await, TestPushService::start().await);
    let (manager, peers) = network(&app, &push).await;
    let ask_id = app.confirmed_ask(&manager, NIGHT_SHIFT).await;
    app.drain().await;
    let dan = member_id(&app, &peers[3].token).await;

    let referred = app
        .post_json(&peers[0].token, &format!("/api/v1/asks/{ask_id}/refer"), json!({"member_id": dan.to_string()}))
        .await;
    assert_eq!(referred.status(), 204);
    app.drain().await;
    assert_eq!(teasers(&push, &peers[3]).len(), 1, "the colleague gets the request");
    let again = app.post_json(&peers[0].token, &format!("/api/v1/asks/{ask_id}/pass"), json!({})).await;
    assert_eq!(again.status(), 409, "a request is handled once");

    let ask: Value = app.get(&manager, &format!("/api/v1/asks/{ask_id}")).await.json().await.unwrap();
    let states: Vec<(&str, &str)> = ask["asked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["state"].as_str().unwrap()))
        .collect();
    assert!(states.contains(&("Ana", "referred")) && states.contains(&("Dan", "open")), "{states:?}");
    app.cleanup().await;
}

#[tokio::test]
async fn contacting_a_peer_directly_is_recorded_and_links_to_their_channel() {
    let (app, push) = (spawn_app().await, TestPushService::start().await);
    let (manager, peers) = network(&app, &push).await;
    let body = json!({
        "expertise": "Night shift schedule ownership and overtime approval between team leads", "team": "Maintenance",
        "site": "Porto", "timezone": "Europe/Lisbon", "quiet_hours": {"start": "22:00", "end": "07:00"},
        "weekly_budget": 3, "contact": {"email": "ana@example.com", "phone": "+351 900 000 000"},
    });
    assert_eq!(app.put_json(&peers[0].token, "/api/v1/me/profile", body).await.status(), 200);
    let ask_id = app.confirmed_ask(&manager, NIGHT_SHIFT).await;
    app.drain_after(Duration::from_secs(0)).await;
    let ana = member_id(&app, &peers[0].token).await;

    let email = app
        .post_json(
            &manager,
            &format!("/api/v1/asks/{ask_id}/contacts"),
            json!({"member_id": ana.to_string(), "channel": "email"}),
        )
        .await;
    assert_eq!(email.status(), 201);
    let link: Value = email.json().await.unwrap();
    assert_eq!(link["href"], "mailto:ana@example.com");
    let call = app
        .post_json(
            &manager,
            &format!("/api/v1/asks/{ask_id}/contacts"),
            json!({"member_id": ana.to_string(), "channel": "call"}),
        )
        .await;
    assert_eq!(call.json::<Value>().await.unwrap()["href"], "tel:+351900000000");
    assert_eq!(app.store.contact_count(ask_id.parse().unwrap()).await.unwrap(), 2);
    app.cleanup().await;
}

#[tokio::test]
async fn a_profile_with_an_unknown_time_zone_or_a_huge_budget_is_refused_clearly() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ana").await;
    let mut body = json!({
        "expertise": "Lean", "team": null, "site": null, "timezone": "Mars/Olympus", "quiet_hours": null,
        "weekly_budget": 2, "contact": {"email": null, "phone": null},
    });
    let response = app.put_json(&token, "/api/v1/me/profile", body.clone()).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("time zone"));
    body["timezone"] = json!("Europe/Paris");
    body["weekly_budget"] = json!(500);
    let response = app.put_json(&token, "/api/v1/me/profile", body.clone()).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("weekly_budget"));
    body["weekly_budget"] = json!(2);
    body["quiet_hours"] = json!({"start": "8pm", "end": "08:00"});
    assert_eq!(app.put_json(&token, "/api/v1/me/profile", body).await.status(), 422);
    let me: Value = app.get(&token, "/api/v1/me").await.json().await.unwrap();
    assert_eq!((me["name"].as_str(), me["profile"]["weekly_budget"].as_u64()), (Some("Ana"), Some(2)));
    app.cleanup().await;
}

#[tokio::test]
async fn similar_earlier_asks_are_shown_with_their_best_answer() {
    let (app, push) = (spawn_app().await, TestPushService::start().await);
    let (manager, peers) = network(&app, &push).await;
    let first = app.confirmed_ask(&manager, NIGHT_SHIFT).await;
    app.drain().await;
    app.post_json(&peers[0].token, &format!("/api/v1/asks/{first}/answers"), json!({"text": "Split the weeks."})).await;
    app.drain().await;

    let draft: Value = app
        .text_ask(&manager, "Who owns the night shift schedule between my two team leads?")
        .await
        .json()
        .await
        .unwrap();
    let similar: Value = app
        .get(&manager, &format!("/api/v1/asks/{}/similar", draft["id"].as_str().unwrap()))
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(similar["similar"][0]["ask_id"], first.as_str(), "{similar}");
    assert_eq!(similar["similar"][0]["best_answer"]["author"], "Ana");
    app.cleanup().await;
}

async fn member_id(app: &TestApp, token: &str) -> MemberId {
    let me: Value = app.get(token, "/api/v1/me").await.json().await.unwrap();
    me["id"].as_str().unwrap().parse().unwrap()
}
