//! What every handler shares: the store, the audio files, the engines behind their pools,
//! the metrics and the settings the API needs.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use coagent_domain::{DigestWriter, Embedder, SpeechToText, StreamingSpeech, Summarizer};
use coagent_matching::Policy;
use coagent_push::{PushSender, VapidKeys};
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
    /// Profiles and cards, for matching and similar-ask search.
    pub embedder: Arc<dyn Embedder>,
    /// Answers condensed into the asker's digest.
    pub digest_writer: Arc<dyn DigestWriter>,
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
    /// Recordings' audio is deleted this many days after they were made (0: kept forever);
    /// transcripts stay.
    pub audio_retention_days: u32,
    pub network: NetworkConfig,
}

/// How asks reach peers: the matching policy and Web Push.
#[derive(Debug, Clone)]
pub struct NetworkConfig {
    /// How many peers to ask, when to escalate, how to weigh relevance, availability, bridging.
    pub policy: Policy,
    /// The VAPID key file (created on first start, owner-only).
    pub vapid_key_file: PathBuf,
    /// Who runs this server, for push services: `mailto:…` or an `https:` URL.
    pub push_subject: String,
    /// The public address of the PWA, for links in notifications.
    pub public_url: String,
}

impl ApiConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        ApiConfig {
            network: NetworkConfig::new(&data_dir),
            data_dir,
            database_url: None,
            pwa_dir: None,
            max_upload_bytes: 50 * 1024 * 1024,
            session_ttl: Duration::from_secs(90 * 24 * 3600),
            secure_cookies: false,
            audio_retention_days: 90,
        }
    }
}

impl NetworkConfig {
    pub fn new(data_dir: &std::path::Path) -> Self {
        NetworkConfig {
            policy: Policy::default(),
            vapid_key_file: data_dir.join("vapid-private-key.pem"),
            push_subject: "mailto:concierge@coagent.invalid".to_owned(),
            public_url: "http://127.0.0.1:8080".to_owned(),
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
    /// Embeddings are quick (tens of ms): their own pool keeps them from queueing behind summaries.
    pub embedding_pool: InferencePool,
    pub push: Push,
    /// Wakes the job runner when work is queued, so it need not wait for its next poll.
    pub jobs_queued: Arc<tokio::sync::Notify>,
    pub metrics: Arc<Metrics>,
    pub config: Arc<ApiConfig>,
}

/// The server's push identity and the sender that signs with it.
#[derive(Clone)]
pub struct Push {
    pub keys: VapidKeys,
    pub sender: PushSender,
}

impl AppState {
    pub fn new(store: Store, audio: AudioStore, engines: Engines, push: Push, config: ApiConfig) -> Self {
        let speech_pool = InferencePool::new("speech", engines.speech_workers, engines.queue_capacity);
        let summary_pool = InferencePool::new("summary", engines.summary_workers, engines.queue_capacity);
        let embedding_pool = InferencePool::new("embedding", 1, engines.queue_capacity);
        let pools = vec![speech_pool.clone(), summary_pool.clone(), embedding_pool.clone()];
        let metrics = Arc::new(Metrics::new(pools));
        AppState {
            store,
            audio,
            engines,
            speech_pool,
            summary_pool,
            embedding_pool,
            push,
            jobs_queued: Arc::new(tokio::sync::Notify::new()),
            metrics,
            config: Arc::new(config),
        }
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Store {
        state.store.clone()
    }
}
