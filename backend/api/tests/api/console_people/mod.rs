//! The console's people side over HTTP: the queue (states, counts, search, similar asks),
//! members (invites, deactivation, profile edits, load), network health over a seeded
//! history, and audio retention.

mod health;
mod members;
mod queue;
mod retention;

use serde_json::Value;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection as _, SqliteConnection};

use crate::helpers::TestApp;

const NIGHT_SHIFT: &str = "Two team leads keep fighting over who owns the night shift schedule and overtime approval.";
const NIGHT_SHIFT_EXPERTISE: &str = "Night shift schedule ownership and overtime approval between team leads";

/// Runs one statement on the test app's SQLite file, for what no endpoint does: moving rows
/// back in time.
async fn sql(app: &TestApp, statement: &str) {
    let options = SqliteConnectOptions::new().filename(app.data_dir.path().join("coagent.db"));
    let mut connection = SqliteConnection::connect_with(&options).await.unwrap();
    let done = sqlx::query(statement).execute(&mut connection).await.unwrap();
    assert_eq!(done.rows_affected(), 1, "{statement}");
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let got = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn member_id(app: &TestApp, token: &str) -> String {
    json_of(app.get(token, "/api/v1/me").await, 200).await["id"].as_str().unwrap().to_owned()
}

async fn audit(app: &TestApp, token: &str, action: &str) -> Vec<Value> {
    let log = json_of(app.get(token, "/api/v1/console/audit").await, 200).await;
    log["entries"].as_array().unwrap().iter().filter(|entry| entry["action"] == action).cloned().collect()
}
