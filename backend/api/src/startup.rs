//! Building and running the application (zero2prod style): the binary and the tests start
//! it the same way, the tests on port 0 with a fresh database each.

use std::future::Future;
use std::net::SocketAddr;

use coagent_push::{PushSender, VapidKeys};
use coagent_store::{AudioStore, Store, StoreError};
use tokio::net::TcpListener;

use crate::network::JobRunner;
use crate::state::{ApiConfig, AppState, Engines, Push};

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the database")]
    Store(#[from] StoreError),
    #[error("cannot set up Web Push")]
    Push(#[from] coagent_push::PushError),
}

pub struct Application {
    listener: TcpListener,
    port: u16,
    state: AppState,
}

impl Application {
    /// Opens the database (running migrations), the audio store and the engine pools, and
    /// binds the listener; nothing is served until `run_until_stopped`.
    pub async fn build(addr: SocketAddr, config: ApiConfig, engines: Engines) -> Result<Application, StartError> {
        let store = match &config.database_url {
            Some(url) => Store::connect(url).await?,
            None => Store::sqlite_in(&config.data_dir).await?,
        };
        let audio = AudioStore::new(store.clone(), &config.data_dir).await?;
        let listener = TcpListener::bind(addr).await.map_err(|source| StartError::Bind { addr, source })?;
        let port = listener.local_addr().map_err(|source| StartError::Bind { addr, source })?.port();
        let keys = VapidKeys::load_or_create(&config.network.vapid_key_file)?;
        let sender = PushSender::new(&keys, config.network.push_subject.clone())?;
        let state = AppState::new(store, audio, engines, Push { keys, sender }, config);
        Ok(Application { listener, port, state })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The store, for tests and commands that prepare data (invites) before serving.
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// A runner for the background jobs (routing, pushes, digests) on this application's state.
    /// `serve` runs one beside the server; tests drain it on demand with `run_due`.
    pub fn job_runner(&self) -> JobRunner {
        JobRunner::new(self.state.clone())
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(std::future::pending()).await
    }

    /// Serves until `shutdown` completes, then lets open requests finish.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let store = self.state.store.clone();
        let app = crate::routes::router(self.state);
        let served = axum::serve(self.listener, app).with_graceful_shutdown(shutdown).await;
        store.close().await;
        served
    }
}
