use coagent_store::Role;
use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_invite_code_signs_in_once_with_a_token_and_an_http_only_cookie() {
    let app = spawn_app().await;
    let code = app.invite(Role::Manager, "Ada").await;

    let response = app.post_session(&code).await;
    assert_eq!(response.status(), 201);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("coagent_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["member"]["name"], "Ada");
    assert_eq!(body["member"]["role"], "manager");

    let again = app.post_session(&code).await;
    assert_eq!(again.status(), 410);
    let error: Value = again.json().await.unwrap();
    assert_eq!(error["error"]["code"], "invite_used");
}

#[tokio::test]
async fn me_accepts_the_bearer_token_or_the_cookie() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Concierge, "Grace").await;
    let by_bearer: Value = app.get(&token, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(by_bearer["name"], "Grace");

    let by_cookie = app
        .http
        .get(format!("{}/api/v1/me", app.base))
        .header("cookie", format!("coagent_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), 200);
}

#[tokio::test]
async fn without_a_session_or_with_a_bad_one_me_is_a_json_401() {
    let app = spawn_app().await;
    let anonymous = app.http.get(format!("{}/api/v1/me", app.base)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.json::<Value>().await.unwrap()["error"]["code"], "unauthenticated");
    let forged = app.get("not-a-real-token", "/api/v1/me").await;
    assert_eq!(forged.json::<Value>().await.unwrap()["error"]["code"], "invalid_session");
}

#[tokio::test]
async fn an_unknown_invite_and_malformed_json_get_their_own_codes() {
    let app = spawn_app().await;
    let unknown: Value = app.post_session("nope").await.json().await.unwrap();
    assert_eq!(unknown["error"]["code"], "invite_unknown");
    let malformed = app
        .http
        .post(format!("{}/api/v1/sessions", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(malformed.json::<Value>().await.unwrap()["error"]["code"], "invalid_json");
}
