//! The server under load: one started here exactly as `coagent serve` wires it (real engines,
//! a temporary data directory, SQLite, port 0), or a running one given by `--url`.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use coagent_api::{ApiConfig, Application};
use coagent_store::{Role, Store};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::time::{sleep, Instant};

use crate::cli::ModelSettings;
use crate::commands::serve::load_engines;
use crate::settings::Settings;

pub struct Target {
    /// `http://host:port`, no trailing slash.
    base: String,
    http: reqwest::Client,
    kind: Kind,
    /// One line for the report: which server, how it is sized.
    pub description: String,
}

enum Kind {
    /// Members are made through the server's own store and sign in over HTTP.
    InProcess { store: Store, stop: oneshot::Sender<()>, _data: tempfile::TempDir },
    /// Every stream uses the one token given.
    Remote { token: String },
}

impl Target {
    pub async fn in_process(models: &ModelSettings) -> Result<Target> {
        // The worker and queue sizes come from the same COAGENT_* variables `serve` reads.
        let settings = Settings::from_env()?;
        let engines = load_engines(models, &settings)?;
        let data = tempfile::tempdir().context("no temporary folder for the bench server's data")?;
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let app =
            Application::build(addr, ApiConfig::new(data.path()), engines).await.context("the server did not start")?;
        let base = format!("http://127.0.0.1:{}", app.port());
        let store = app.store().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        let description = format!(
            "the server runs in this process on the same cores, wired as `coagent serve` (SQLite; speech workers {}, \
             summary workers {}, queue {} per engine)",
            settings.speech_workers, settings.summary_workers, settings.queue_capacity
        );
        Ok(Target {
            base,
            http: reqwest::Client::new(),
            kind: Kind::InProcess { store, stop, _data: data },
            description,
        })
    }

    pub fn remote(url: &str, token: &str) -> Result<Target> {
        let url = url.trim_end_matches('/');
        let base = if let Some(rest) = url.strip_prefix("ws://") {
            format!("http://{rest}")
        } else if url.starts_with("http://") {
            url.to_owned()
        } else {
            bail!("--url must start with http:// or ws:// (this build speaks no TLS); got {url:?}");
        };
        let kind = Kind::Remote { token: token.to_owned() };
        Ok(Target { description: format!("server at {base}"), base, http: reqwest::Client::new(), kind })
    }

    /// Where streams connect.
    pub fn live_url(&self) -> String {
        format!("ws://{}/api/v1/live", self.base.trim_start_matches("http://"))
    }

    /// One bearer token per stream: a new member each when the server is ours.
    pub async fn tokens(&self, count: usize, round: usize) -> Result<Vec<String>> {
        let store = match &self.kind {
            Kind::Remote { token } => return Ok(vec![token.clone(); count]),
            Kind::InProcess { store, .. } => store,
        };
        let mut tokens = Vec::with_capacity(count);
        for index in 0..count {
            let name = format!("Bench {round}.{index}");
            let (code, _) = store.create_invite(Role::Manager, &name, Duration::from_secs(3600)).await?;
            let response = self
                .http
                .post(format!("{}/api/v1/sessions", self.base))
                .json(&json!({ "invite_code": code.expose() }))
                .send()
                .await?
                .error_for_status()?;
            let body: Value = response.json().await?;
            tokens.push(body["token"].as_str().context("POST /api/v1/sessions answered without a token")?.to_owned());
        }
        Ok(tokens)
    }

    /// Waits until the last round's work is over (no stream open, nothing queued, no job
    /// finished for 3 s), so rounds do not measure each other's leftovers: a stream the
    /// bench abandoned may still have a decoding pass or a card being written.
    pub async fn wait_until_idle(&self) {
        let deadline = Instant::now() + Duration::from_secs(600);
        let mut last: Option<(u64, Instant)> = None;
        while Instant::now() < deadline {
            let jobs = match self.http.get(format!("{}/metrics", self.base)).send().await {
                Ok(response) => response.text().await.ok().and_then(|text| jobs_when_quiet(&text)),
                Err(_) => None,
            };
            match (jobs, last) {
                (Some(jobs), Some((before, since))) if jobs == before => {
                    if since.elapsed() >= Duration::from_secs(3) {
                        return;
                    }
                }
                (Some(jobs), _) => last = Some((jobs, Instant::now())),
                (None, _) => last = None,
            }
            sleep(Duration::from_millis(500)).await;
        }
        tracing::warn!("the server did not go quiet within 10 minutes; the next round starts anyway");
    }

    pub fn stop(self) {
        if let Kind::InProcess { stop, .. } = self.kind {
            let _ = stop.send(());
        }
    }
}

/// From `/metrics`: the inference jobs completed so far when no live stream is open and no
/// job waits, `None` while the server is still busy.
fn jobs_when_quiet(metrics: &str) -> Option<u64> {
    let mut jobs = 0;
    for line in metrics.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        let (name, value) = line.rsplit_once(' ')?;
        let value: f64 = value.parse().ok()?;
        let series = name.split('{').next().unwrap_or(name);
        match series {
            "coagent_live_streams_open" | "coagent_inference_queue_depth" if value != 0.0 => return None,
            "coagent_inference_jobs_total" => jobs += value as u64,
            _ => {}
        }
    }
    Some(jobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIET: &str = "# TYPE coagent_live_streams_open gauge\ncoagent_live_streams_open 0\n\
        coagent_inference_queue_depth{engine=\"speech\"} 0\ncoagent_inference_jobs_total{engine=\"speech\"} 40\n\
        coagent_inference_jobs_total{engine=\"summary\"} 2\n";

    #[test]
    fn a_server_with_no_stream_open_and_nothing_queued_is_quiet() {
        assert_eq!(jobs_when_quiet(QUIET), Some(42));
        let streaming = QUIET.replace("coagent_live_streams_open 0", "coagent_live_streams_open 3");
        assert_eq!(jobs_when_quiet(&streaming), None);
        let queued = QUIET.replace("{engine=\"speech\"} 0", "{engine=\"speech\"} 5");
        assert_eq!(jobs_when_quiet(&queued), None);
    }
}
