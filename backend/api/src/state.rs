//! What every handler shares: the store, the audio files, the engines behind their pools,
//! the metrics and the settings the API needs.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use coagent_domain::{SpeechToText, StreamingSpeech, Summarizer};
use coagent_store::{AudioStore, Store};

use crate::metrics::Metrics;
use crate::pool::InferencePool;

/// The engines the API uses, only through the domain traits: route code and its tests never
/// compile whisper.cpp or candle. The binary wires in the real ones.
#[derive(Clone)]
pub struct Engines {
    /// Live dictation.
    pub streaming: Arc<dyn StreamingSpeech>,
    /// Uploaded audio files, transcribed in one go.
    pub transcriber: Arc<dyn SpeechToText>,
    pub summarizer: Arc<dyn Summarizer>,
    /// Worker threads and queue bound per engine.
    pub speech_workers: usize,
    pub summary_workers: usize,
    pub queue_capacity: usize,
}

/// How the API behaves; `coagent serve` fills it from its settings, tests from defaults.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Where the SQLite file and the audio live.
    pub data_dir: PathBuf,
    /// PostgreSQL instead of the SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// The built PWA, served at `/` when the folder exists.
    pub pwa_dir: Option<PathBuf>,
    /// Largest uploaded audio file.
    pub max_upload_bytes: u64,
    pub session_ttl: Duration,
    /// Adds `Secure` to the session cookie (set when served over HTTPS).
    pub secure_cookies: bool,
}

impl ApiConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        ApiConfig {
            data_dir: data_dir.into(),
            database_url: None,
            pwa_dir: None,
            max_upload_bytes: 50 * 1024 * 1024,
            session_ttl: Duration::from_secs(90 * 24 * 3600),
            secure_cookies: false,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub audio: AudioStore,
    pub engines: Engines,
    pub speech_pool: InferencePool,
    pub summary_pool: InferencePool,
    pub metrics: Arc<Metrics>,
    pub config: Arc<ApiConfig>,
}

impl AppState {
    pub fn new(store: Store, audio: AudioStore, engines: Engines, config: ApiConfig) -> Self {
        let speech_pool = InferencePool::new("speech", engines.speech_workers, engines.queue_capacity);
        let summary_pool = InferencePool::new("summary", engines.summary_workers, engines.queue_capacity);
        let metrics = Arc::new(Metrics::new(vec![speech_pool.clone(), summary_pool.clone()]));
        AppState { store, audio, engines, speech_pool, summary_pool, metrics, config: Arc::new(config) }
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Store {
        state.store.clone()
    }
}
