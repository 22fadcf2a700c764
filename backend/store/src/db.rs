//! Connecting to SQLite or PostgreSQL, running the embedded migrations, and the `with_pool!`
//! macro through which every query reaches whichever backend the store holds.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Postgres, Sqlite, Transaction};
use tracing::instrument;

use crate::StoreError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The SQLite file's name inside the data directory.
const SQLITE_FILE: &str = "coagent.db";

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same tokens against either pool. Each arm is compiled on its own, so the body is
/// ordinary sqlx code typed for one concrete database, with no generic trait bounds.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::db::Pool::Sqlite($pool) => $body,
            $crate::db::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Handle to the database. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: Pool,
}

impl Store {
    /// Connects to `sqlite:PATH` (the file is created if missing) or `postgres://…`, and brings
    /// the schema up to date.
    // The URL is skipped: it may carry a password.
    #[instrument(skip_all, err(level = "debug"))]
    pub async fn connect(database_url: &str) -> Result<Store, StoreError> {
        if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new().max_connections(16).connect(database_url).await?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            Ok(Store { pool: Pool::Postgres(pool) })
        } else if database_url.starts_with("sqlite:") {
            Self::connect_sqlite(SqliteConnectOptions::from_str(database_url)?).await
        } else {
            let scheme = database_url.split(':').next().unwrap_or_default();
            Err(StoreError::UnsupportedUrl(format!("{scheme}:…")))
        }
    }

    /// Opens (or creates) the SQLite database in `data_dir`, creating the directory too: the
    /// zero-set-up default.
    #[instrument(skip_all, fields(data_dir = %data_dir.as_ref().display()), err(level = "debug"))]
    pub async fn sqlite_in(data_dir: impl AsRef<Path>) -> Result<Store, StoreError> {
        tokio::fs::create_dir_all(data_dir.as_ref()).await?;
        Self::connect_sqlite(SqliteConnectOptions::new().filename(data_dir.as_ref().join(SQLITE_FILE))).await
    }

    async fn connect_sqlite(options: SqliteConnectOptions) -> Result<Store, StoreError> {
        let options = options
            .create_if_missing(true)
            // WAL lets readers proceed while one writer commits; writers queue on the busy
            // timeout instead of failing at once.
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Store { pool: Pool::Sqlite(pool) })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Waits for running queries and closes every connection (for a clean shutdown).
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later can fail
/// with "database is locked" when another writer got in between, without waiting.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;

    async fn begin_write(&self) -> Result<Transaction<'static, Self::Database>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Database = Sqlite;

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = Postgres;

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.begin().await
    }
}
