//! The queue: derived states and their counts, search by words, ranking by similarity.

use coagent_store::Role;
use serde_json::{json, Value};

use super::{json_of, sql, NIGHT_SHIFT, NIGHT_SHIFT_EXPERTISE};
use crate::helpers::{spawn_app, TestApp};

async fn queue(app: &TestApp, token: &str, query: &str) -> Value {
    json_of(app.get(token, &format!("/api/v1/console/asks{query}")).await, 200).await
}

fn find<'a>(queue: &'a Value, ask_id: &str) -> &'a Value {
    queue["asks"].as_array().unwrap().iter().find(|ask| ask["id"] == ask_id).unwrap_or_else(|| panic!("{ask_id}"))
}

fn ids(queue: &Value) -> Vec<&str> {
    queue["asks"].as_array().unwrap().iter().map(|ask| ask["id"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_queue_shows_each_asks_state_newest_first_with_counts_per_state() {
    let app = spawn_app().await;
    let rosa = app.sign_in(Role::Concierge, "Rosa").await;
    let claire = app.sign_in(Role::Manager, "Claire").await;
    let ana = app.sign_in(Role::Manager, "Ana").await;
    app.profile(&ana, NIGHT_SHIFT_EXPERTISE, "Maintenance", "Porto").await;

    let draft = json_of(app.text_ask(&claire, "Which forklift batteries last longest?").await, 201).await;
    let routed = app.confirmed_ask(&claire, NIGHT_SHIFT).await;
    let answered = app.confirmed_ask(&claire, "Overtime approval on the night shift: who signs it?").await;
    let paused = app.confirmed_ask(&claire, "Night shift schedule swaps between team leads").await;
    let closed = app.confirmed_ask(&claire, "Night shift overtime budget").await;
    assert_eq!(app.post_json(&claire, &format!("/api/v1/asks/{closed}/close"), json!({})).await.status(), 204);
    app.drain().await;
    let answer_path = format!("/api/v1/asks/{answered}/answers");
    assert_eq!(app.post_json(&ana, &answer_path, json!({"text": "The plant manager."})).await.status(), 201);
    // Pausing is the ask page's endpoint; here the column is set directly.
    sql(&app, &format!("UPDATE asks SET paused_at = 1 WHERE id = '{paused}'")).await;
    // Confirmed after the last drain: nobody asked yet, so it waits for the concierge.
    let waiting = app.confirmed_ask(&claire, "Canteen menu for the weekend").await;

    let all = queue(&app, &rosa, "").await;

    assert_eq!(all["counts"], json!({"draft": 1, "routed": 1, "waiting": 2, "answered": 1, "closed": 1}));
    let draft_id = draft["id"].as_str().unwrap();
    let states: Vec<(&str, &str)> = [
        (draft_id, "draft"),
        (&routed, "routed"),
        (&answered, "answered"),
        (&paused, "waiting"),
        (&closed, "closed"),
        (&waiting, "waiting"),
    ]
    .into_iter()
    .map(|(id, expected)| (find(&all, id)["state"].as_str().unwrap(), expected))
    .collect();
    assert!(states.iter().all(|(got, expected)| got == expected), "{states:?}");
    let routed_row = find(&all, &routed);
    assert_eq!(routed_row["asker"]["name"], "Claire");
    assert_eq!((routed_row["status"].as_str(), routed_row["asked_count"].as_u64()), (Some("routed"), Some(1)));
    assert_eq!((routed_row["paused"].as_bool(), routed_row["similarity"].is_null()), (Some(false), true));
    assert_eq!(routed_row["excerpt"], NIGHT_SHIFT);
    assert_eq!(find(&all, &answered)["answer_count"], 1);
    assert_eq!(find(&all, &paused)["paused"], true);
    assert!(find(&all, draft_id)["title"].as_str().unwrap().starts_with("About: Which forklift"));
    let times: Vec<i64> =
        all["asks"].as_array().unwrap().iter().map(|a| a["created_at_ms"].as_i64().unwrap()).collect();
    assert!(times.windows(2).all(|pair| pair[0] >= pair[1]), "newest first: {times:?}");

    let waiting_only = queue(&app, &rosa, "?state=waiting").await;
    let mut waiting_ids = ids(&waiting_only);
    waiting_ids.sort();
    let mut expected = vec![paused.as_str(), waiting.as_str()];
    expected.sort();
    assert_eq!(waiting_ids, expected);
    assert_eq!(waiting_only["counts"], all["counts"], "the counts ignore the state filter");
    assert_eq!(ids(&queue(&app, &rosa, "?limit=2").await).len(), 2);

    assert_eq!(app.get(&rosa, "/api/v1/console/asks?state=lost").await.status(), 422);
    assert_eq!(app.get(&claire, "/api/v1/console/asks").await.status(), 403);
    assert_eq!(app.get("", "/api/v1/console/asks").await.status(), 401);
}

#[tokio::test]
async fn a_search_finds_asks_by_every_word_of_the_transcript() {
    let app = spawn_app().await;
    let rosa = app.sign_in(Role::Concierge, "Rosa").await;
    let claire = app.sign_in(Role::Manager, "Claire").await;
    let charger = app.confirmed_ask(&claire, "The forklift charger in hall B trips the breaker every night").await;
    let training = json_of(app.text_ask(&claire, "Forklift licences for the summer temps").await, 201).await;
    app.confirmed_ask(&claire, "Quarterly budget review for the canteen").await;

    let forklift = queue(&app, &rosa, "?q=FORKLIFT").await;
    let mut found = ids(&forklift);
    found.sort();
    let mut expected = vec![charger.as_str(), training["id"].as_str().unwrap()];
    expected.sort();
    assert_eq!(found, expected, "case-insensitive, drafts included");
    assert_eq!(forklift["counts"], json!({"draft": 1, "routed": 0, "waiting": 1, "answered": 0, "closed": 0}));

    assert_eq!(ids(&queue(&app, &rosa, "?q=forklift%20breaker").await), [charger.as_str()], "every word must appear");
    assert!(ids(&queue(&app, &rosa, "?q=forklift%20canteen").await).is_empty());
    assert!(ids(&queue(&app, &rosa, "?q=fork%25lift").await).is_empty(), "% is a character, not a wildcard");
}

#[tokio::test]
async fn similar_ranks_embedded_asks_by_closeness_to_the_text() {
    let app = spawn_app().await;
    let rosa = app.sign_in(Role::Concierge, "Rosa").await;
    let claire = app.sign_in(Role::Manager, "Claire").await;
    let closest = app.confirmed_ask(&claire, "Night shift schedule ownership fights between team leads").await;
    let closer = app.confirmed_ask(&claire, "Overtime rules for the night shift").await;
    let unrelated = app.confirmed_ask(&claire, "Vegetarian options in the canteen").await;
    app.drain().await; // routing embeds each card
    let not_embedded = app.confirmed_ask(&claire, "Night shift schedule ownership again").await;

    let ranked = queue(&app, &rosa, "?similar=night%20shift%20schedule%20ownership").await;

    assert_eq!(ids(&ranked), [closest.as_str(), closer.as_str(), unrelated.as_str()], "{ranked}");
    let score = |id: &str| find(&ranked, id)["similarity"].as_f64().unwrap();
    assert!(score(&closest) > score(&closer) && score(&closer) > score(&unrelated), "{ranked}");
    assert!(!ids(&ranked).contains(&not_embedded.as_str()), "asks without an embedding are skipped");
    assert_eq!(ids(&queue(&app, &rosa, "?similar=night%20shift&limit=1").await), [closest.as_str()]);
}
