//! The main flow once more on PostgreSQL: the store's SQL differs per backend, the API must not.

use coagent_store::Role;
use serde_json::{json, Value};

use crate::helpers::{pcm, spawn_app_with, Options};

#[tokio::test]
async fn the_main_flow_works_on_postgresql() {
    let app = spawn_app_with(Options { postgres: true, ..Options::default() }).await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let mut live = app.live(&token).await;
    live.start(json!({})).await;
    live.send_audio(&pcm(16_000, 2)).await;
    live.send_json(json!({"type": "stop"})).await;
    let card = live.until("card").await;
    live.until("done").await;
    let id = card["ask_id"].as_str().unwrap();
    assert_eq!(app.confirm(&token, id, json!({"help_needed": "Names of two suppliers"})).await.status(), 200);
    let ask: Value = app.get(&token, &format!("/api/v1/asks/{id}")).await.json().await.unwrap();
    assert_eq!(ask["status"], "confirmed");
    assert_eq!(ask["card"]["help_needed"], "Names of two suppliers");
    app.cleanup().await;
}
