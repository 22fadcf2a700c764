use coagent_store::Role;
use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_metrics_and_openapi_answer() {
    let app = spawn_app().await;
    assert!(app.healthy().await);
    let token = app.sign_in(Role::Manager, "Ada").await;
    app.get(&token, "/api/v1/me").await;

    let metrics = app.metrics().await;
    assert!(
        metrics.contains(r#"coagent_http_requests_total{method="GET",route="/api/v1/me",status="200"} 1"#),
        "{metrics}"
    );
    assert!(metrics.contains("coagent_live_streams_open 0"), "{metrics}");
    assert!(metrics.contains(r#"coagent_inference_queue_depth{engine="speech"} 0"#), "{metrics}");

    let doc: Value =
        app.http.get(format!("{}/api/v1/openapi.json", app.base)).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/sessions", "/api/v1/me", "/api/v1/asks", "/api/v1/asks/{id}", "/api/v1/asks/{id}/confirm"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = spawn_app().await;
    let response = app.http.get(format!("{}/api/v1/nothing-here", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["code"], "not_found");
}
