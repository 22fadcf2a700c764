//! Prometheus text exposition without a metrics library: a few counters and gauges are all
//! `/metrics` needs, and atomics keep the request path lock-free except for one short map.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::pool::InferencePool;
use crate::state::AppState;

pub struct Metrics {
    /// (method, route template, status) → count. Route templates, not raw paths, so ids in
    /// URLs cannot blow up the number of series.
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    pub live_streams_open: AtomicI64,
    /// Push attempts by outcome: delivered, retry, gone, rejected.
    pushes: Mutex<BTreeMap<&'static str, u64>>,
    pools: Vec<InferencePool>,
}

impl Metrics {
    pub fn new(pools: Vec<InferencePool>) -> Self {
        Metrics {
            requests: Mutex::new(BTreeMap::new()),
            live_streams_open: AtomicI64::new(0),
            pushes: Mutex::new(BTreeMap::new()),
            pools,
        }
    }

    pub fn record_push(&self, delivery: &coagent_push::Delivery) {
        let outcome = match delivery {
            coagent_push::Delivery::Delivered => "delivered",
            coagent_push::Delivery::Retry { .. } => "retry",
            coagent_push::Delivery::Gone => "gone",
            coagent_push::Delivery::Rejected { .. } => "rejected",
        };
        if let Ok(mut pushes) = self.pushes.lock() {
            *pushes.entry(outcome).or_default() += 1;
        }
    }

    fn count(&self, method: &str, route: &str, status: u16) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((method.to_owned(), route.to_owned(), status)).or_default() += 1;
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP coagent_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE coagent_http_requests_total counter\n");
        if let Ok(requests) = self.requests.lock() {
            for ((method, route, status), count) in requests.iter() {
                let _ = writeln!(
                    out,
                    "coagent_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {count}"
                );
            }
        }
        out.push_str("# HELP coagent_live_streams_open Live dictation WebSockets open now.\n");
        out.push_str("# TYPE coagent_live_streams_open gauge\n");
        let _ = writeln!(out, "coagent_live_streams_open {}", self.live_streams_open.load(Ordering::Relaxed));
        out.push_str("# HELP coagent_push_attempts_total Web Push sends by the push service's answer.\n");
        out.push_str("# TYPE coagent_push_attempts_total counter\n");
        if let Ok(pushes) = self.pushes.lock() {
            for (outcome, count) in pushes.iter() {
                let _ = writeln!(out, "coagent_push_attempts_total{{outcome=\"{outcome}\"}} {count}");
            }
        }
        let families = [
            ("coagent_inference_queue_depth", "gauge", "Inference jobs waiting for a worker."),
            ("coagent_inference_jobs_total", "counter", "Inference jobs completed."),
            ("coagent_inference_busy_total", "counter", "Inference jobs refused because the queue was full."),
            ("coagent_inference_latency_seconds_sum", "counter", "Total queue wait plus run time of inference jobs."),
        ];
        for (name, kind, help) in families {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for pool in &self.pools {
                let stats = pool.stats();
                let value = match name {
                    "coagent_inference_queue_depth" => pool.depth().to_string(),
                    "coagent_inference_jobs_total" => stats.completed.load(Ordering::Relaxed).to_string(),
                    "coagent_inference_busy_total" => stats.busy_rejections.load(Ordering::Relaxed).to_string(),
                    _ => format!("{:.6}", stats.latency_micros_total.load(Ordering::Relaxed) as f64 / 1e6),
                };
                let _ = writeln!(out, "{name}{{engine=\"{}\"}} {value}", pool.name());
            }
        }
        out
    }
}

/// Middleware counting every response by its matched route.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(request).await;
    state.metrics.count(&method, &route, response.status().as_u16());
    response
}
