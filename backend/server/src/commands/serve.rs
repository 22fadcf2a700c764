//! `coagent serve`: loads the engines from the model cache (fetching nothing: missing models
//! stop the start with the command that fetches them), then serves HTTP, the live WebSocket
//! and the PWA, and runs the background jobs (routing, pushes, digests), until Ctrl-C or SIGTERM.

use std::sync::Arc;

use anyhow::{Context as _, Result};
use coagent_api::{Application, Engines};
use coagent_speech::{StreamingConfig, WhisperStreaming};

use crate::{cli::ModelSettings, engines, settings::Settings};

pub fn run(models: &ModelSettings) -> Result<()> {
    let settings = Settings::from_env()?;
    settings.prepare_data_dir()?;
    for name in crate::settings::VARIABLES.iter().filter(|name| std::env::var_os(name).is_some()) {
        tracing::info!(variable = name, "setting taken from the environment");
    }
    let engines = load_engines(models, &settings)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let app = Application::build(settings.addr, settings.api_config(), engines)
            .await
            .context("the server did not start")?;
        if !settings.pwa_dir.is_dir() {
            tracing::warn!(dir = %settings.pwa_dir.display(), "no built PWA there (COAGENT_PWA_DIR); serving the API only");
        }
        eprintln!("coagent listening on http://{}:{} ({})", settings.addr.ip(), app.port(), settings.public_url);
        // Background jobs (routing, pushes, digests) run beside the server and stop with it.
        let (stop_jobs, jobs_stopped) = tokio::sync::oneshot::channel::<()>();
        let jobs = tokio::spawn(app.job_runner().run_until(async {
            let _ = jobs_stopped.await;
        }));
        let served = app.run_until(shutdown_signal()).await.context("the server stopped with an error");
        let _ = stop_jobs.send(());
        let _ = jobs.await;
        served
    })
}

/// The real engines on the worker pools the settings size: what `serve` (and `bench live`) run.
pub fn load_engines(models: &ModelSettings, settings: &Settings) -> Result<Engines> {
    eprintln!("loading models (a missing one stops here; `coagent models fetch` installs them)…");
    let speech = Arc::new(engines::speech(models)?);
    let (summarizer, digest_writer) = engines::language(models)?;
    let embedder = engines::embedder(models)?;
    Ok(Engines {
        streaming: Arc::new(WhisperStreaming { engine: speech.clone(), config: StreamingConfig::default() }),
        transcriber: speech,
        summarizer: Arc::new(summarizer),
        embedder: Arc::new(embedder),
        digest_writer: Arc::new(digest_writer),
        speech_workers: settings.speech_workers,
        summary_workers: settings.summary_workers,
        queue_capacity: settings.queue_capacity,
    })
}

/// Ctrl-C, or SIGTERM from a service manager: stop taking requests, finish open ones.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    eprintln!("coagent: shutting down");
}
