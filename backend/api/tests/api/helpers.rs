//! The test app: the real `Application` on port 0 with a fresh database (SQLite by default,
//! PostgreSQL on request) and the in-test engines, plus one typed helper per endpoint.

use std::net::SocketAddr;
use std::sync::Once;
use std::time::Duration;

use coagent_api::{ApiConfig, Application, JobRunner};
use coagent_store::{Role, Store, Timestamp};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::Message;

use crate::engines::{engines, EchoSummarizer};
use crate::postgres::TestDatabase;

pub struct TestApp {
    pub base: String,
    pub port: u16,
    pub store: Store,
    pub http: reqwest::Client,
    pub summarizer: EchoSummarizer,
    pub data_dir: TempDir,
    /// The background jobs, run only when a test drains them.
    pub runner: JobRunner,
    postgres: Option<TestDatabase>,
}

pub struct Options {
    pub workers: usize,
    pub queue: usize,
    pub postgres: bool,
    pub max_upload_bytes: u64,
    /// Reuse this data directory (a restart of the same server).
    pub data_dir: Option<TempDir>,
}

impl Default for Options {
    fn default() -> Self {
        Options { workers: 2, queue: 16, postgres: false, max_upload_bytes: 8 * 1024 * 1024, data_dir: None }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    init_tracing();
    let data_dir = options.data_dir.unwrap_or_else(|| TempDir::new().unwrap());
    let mut config = ApiConfig::new(data_dir.path());
    config.max_upload_bytes = options.max_upload_bytes;
    let postgres = if options.postgres { Some(TestDatabase::create().await) } else { None };
    config.database_url = postgres.as_ref().map(|db| db.url.clone());
    let summarizer = EchoSummarizer::default();
    let engines = engines(summarizer.clone(), options.workers, options.queue);
    let app = Application::build(SocketAddr::from(([127, 0, 0, 1], 0)), config, engines).await.expect("app builds");
    let port = app.port();
    let store = app.store().clone();
    let runner = app.job_runner();
    tokio::spawn(app.run_until_stopped());
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    TestApp { base: format!("http://127.0.0.1:{port}"), port, store, http, summarizer, data_dir, runner, postgres }
}

impl TestApp {
    pub async fn invite(&self, role: Role, name: &str) -> String {
        let (code, _) = self.store.create_invite(role, name, Duration::from_secs(3600)).await.unwrap();
        code.expose().to_owned()
    }

    pub async fn post_session(&self, code: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/sessions", self.base))
            .json(&json!({ "invite_code": code }))
            .send()
            .await
            .unwrap()
    }

    /// Joins with a fresh invite and returns the bearer token.
    pub async fn sign_in(&self, role: Role, name: &str) -> String {
        let response = self.post_session(&self.invite(role, name).await).await;
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap()
    }

    pub async fn text_ask(&self, token: &str, text: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/asks", self.base))
            .bearer_auth(token)
            .json(&json!({ "text": text }))
            .send()
            .await
            .unwrap()
    }

    pub async fn confirm(&self, token: &str, id: &str, edits: Value) -> reqwest::Response {
        let url = format!("{}/api/v1/asks/{id}/confirm", self.base);
        self.http.post(url).bearer_auth(token).json(&edits).send().await.unwrap()
    }

    pub async fn live(&self, token: &str) -> Live {
        let mut request = format!("ws://127.0.0.1:{}/api/v1/live", self.port).into_client_request().unwrap();
        request.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
        let (socket, _) = tokio_tungstenite::connect_async(request).await.expect("websocket connects");
        Live { socket }
    }

    /// Runs every background job due `later` from now; returns how many ran.
    pub async fn drain_after(&self, later: Duration) -> usize {
        self.runner.run_due(Timestamp::now() + later).await.expect("the job queue is reachable")
    }

    pub async fn drain(&self) -> usize {
        self.drain_after(Duration::ZERO).await
    }

    pub async fn post_json(&self, token: &str, path: &str, body: Value) -> reqwest::Response {
        self.http.post(format!("{}{path}", self.base)).bearer_auth(token).json(&body).send().await.unwrap()
    }

    pub async fn put_json(&self, token: &str, path: &str, body: Value) -> reqwest::Response {
        self.http.put(format!("{}{path}", self.base)).bearer_auth(token).json(&body).send().await.unwrap()
    }

    /// Writes a profile with this expertise, team and site (other fields at their defaults).
    pub async fn profile(&self, token: &str, expertise: &str, team: &str, site: &str) {
        let body = json!({
            "expertise": expertise, "team": team, "site": site, "timezone": "UTC",
            "quiet_hours": null, "weekly_budget": 5, "contact": {"email": null, "phone": null},
        });
        let response = self.put_json(token, "/api/v1/me/profile", body).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    }

    /// A typed ask, confirmed as proposed: returns its id.
    pub async fn confirmed_ask(&self, token: &str, text: &str) -> String {
        let ask: Value = self.text_ask(token, text).await.json().await.unwrap();
        let id = ask["id"].as_str().expect("the draft has an id").to_owned();
        assert_eq!(self.confirm(token, &id, json!({})).await.status(), 200);
        id
    }

    pub async fn metrics(&self) -> String {
        self.http.get(format!("{}/metrics", self.base)).send().await.unwrap().text().await.unwrap()
    }

    pub async fn healthy(&self) -> bool {
        let response = self.http.get(format!("{}/healthz", self.base)).send().await;
        response.is_ok_and(|response| response.status() == 200)
    }

    /// Drops the PostgreSQL database, if any (each test's own).
    pub async fn cleanup(mut self) {
        self.store.close().await;
        if let Some(db) = self.postgres.take() {
            db.drop().await;
        }
    }
}

/// A live-dictation client speaking the v1 messages.
pub struct Live {
    socket: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl Live {
    pub async fn send_json(&mut self, value: Value) {
        self.socket.send(Message::Text(value.to_string().into())).await.unwrap();
    }

    pub async fn send_text(&mut self, text: &str) {
        self.socket.send(Message::Text(text.to_owned().into())).await.unwrap();
    }

    pub async fn send_audio(&mut self, bytes: &[u8]) {
        self.socket.send(Message::Binary(bytes.to_vec().into())).await.unwrap();
    }

    /// The next server message, as JSON; fails the test after 20 s of silence.
    pub async fn recv(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(20), self.socket.next())
                .await
                .expect("a server message within 20 s")
                .expect("the connection is open")
                .expect("a readable frame");
            if let Message::Text(text) = message {
                return serde_json::from_str(text.as_str()).unwrap();
            }
        }
    }

    /// Skips messages until one of type `kind`, returning it (and failing on an `error`
    /// unless that is what is awaited).
    pub async fn until(&mut self, kind: &str) -> Value {
        loop {
            let message = self.recv().await;
            if message["type"] == kind {
                return message;
            }
            assert_ne!(message["type"], "error", "unexpected error while waiting for {kind}: {message}");
        }
    }

    pub async fn start(&mut self, extra: Value) -> Value {
        let mut start = json!({ "type": "start", "purpose": "ask" });
        if let (Some(start), Some(extra)) = (start.as_object_mut(), extra.as_object()) {
            start.extend(extra.clone());
        }
        self.send_json(start).await;
        self.until("ready").await
    }

    /// Closes without a goodbye, as a phone losing its network would.
    pub async fn drop_connection(self) {
        drop(self.socket);
    }
}

/// Deterministic "speech": a ramp of 16-bit samples, as little-endian bytes.
pub fn pcm(samples: usize, seed: u16) -> Vec<u8> {
    (0..samples).flat_map(|i| ((i as u16).wrapping_mul(7).wrapping_add(seed) as i16).to_le_bytes()).collect()
}

fn init_tracing() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new("coagent_api=debug,tower_http=debug"))
                .with_test_writer()
                .try_init();
        }
    });
}
