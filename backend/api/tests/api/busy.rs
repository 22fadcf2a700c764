use std::time::Duration;

use coagent_store::Role;
use serde_json::Value;

use crate::helpers::{spawn_app_with, Options};

#[tokio::test]
async fn a_full_inference_queue_answers_busy_at_once_instead_of_stalling() {
    // One summary worker and room for one waiting job.
    let app = spawn_app_with(Options { workers: 1, queue: 1, ..Options::default() }).await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let gate = app.summarizer.gate();
    gate.close();

    let first = tokio::spawn({
        let (http, url, token) = (app.http.clone(), format!("{}/api/v1/asks", app.base), token.clone());
        async move {
            http.post(url).bearer_auth(token).json(&serde_json::json!({"text": "first one"})).send().await.unwrap()
        }
    });
    while gate.entered() == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let second = tokio::spawn({
        let (http, url, token) = (app.http.clone(), format!("{}/api/v1/asks", app.base), token.clone());
        async move {
            http.post(url).bearer_auth(token).json(&serde_json::json!({"text": "second one"})).send().await.unwrap()
        }
    });
    while !app.metrics().await.contains(r#"coagent_inference_queue_depth{engine="summary"} 1"#) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let started = std::time::Instant::now();
    let third = app.text_ask(&token, "third one").await;
    assert!(started.elapsed() < Duration::from_secs(2), "busy must answer at once");
    assert_eq!(third.status(), 503);
    assert_eq!(third.headers()["retry-after"], "5");
    assert_eq!(third.json::<Value>().await.unwrap()["error"]["code"], "busy");

    gate.open();
    assert_eq!(first.await.unwrap().status(), 201);
    assert_eq!(second.await.unwrap().status(), 201);
    assert!(app.metrics().await.contains(r#"coagent_inference_busy_total{engine="summary"} 1"#));
    // The refused ask left no orphan draft behind.
    let list: Value = app.get(&token, "/api/v1/asks").await.json().await.unwrap();
    assert_eq!(list["asks"].as_array().unwrap().len(), 2);
}
