//! The test harness: every behaviour runs against a fresh SQLite file and a fresh PostgreSQL
//! database, each created for that one test and removed after it.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Once;

use coagent_store::{AudioStore, Backend, Member, Role, Store};
use sqlx::{Connection as _, PgConnection, SqliteConnection};
use tempfile::TempDir;

/// Where the PostgreSQL half runs: a server URL without a database name.
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432";

/// Writes each behaviour test once and runs it on both backends, as
/// `<module>::sqlite::<name>` and `<module>::postgres::<name>`.
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    $crate::common::run(coagent_store::Backend::Sqlite, super::$test).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    $crate::common::run(coagent_store::Backend::Postgres, super::$test).await;
                }
            )+
        }
    };
}
pub(crate) use on_both_backends;

/// What a behaviour test gets: a migrated store, its audio store, and a raw way in for the
/// few checks that must look at the tables themselves.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub store: Store,
    pub audio: AudioStore,
    raw: Raw,
}

#[derive(Debug, Clone)]
enum Raw {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Ctx {
    pub async fn member(&self, name: &str) -> Member {
        self.store.create_member(name, Role::Manager).await.expect("create member")
    }

    /// Runs `sql` on a separate connection and returns its single text column.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        match &self.raw {
            Raw::Sqlite(path) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
                let mut conn = SqliteConnection::connect_with(&options).await.expect("raw sqlite connection");
                sqlx::query_scalar(sql).fetch_all(&mut conn).await.expect("raw sqlite query")
            }
            Raw::Postgres(url) => {
                let mut conn = PgConnection::connect(url).await.expect("raw postgres connection");
                sqlx::query_scalar(sql).fetch_all(&mut conn).await.expect("raw postgres query")
            }
        }
    }
}

/// Runs one behaviour on a fresh database of `backend`, then removes the database even if the
/// behaviour panicked (and re-raises the panic).
pub async fn run<F, Fut, T>(backend: Backend, test: F) -> T
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    init_tracing();
    let dir = TempDir::new().expect("temp dir");
    let (store, raw, postgres) = match backend {
        Backend::Sqlite => {
            let data_dir = dir.path().join("data");
            let store = Store::sqlite_in(&data_dir).await.expect("open sqlite store");
            (store, Raw::Sqlite(data_dir.join("coagent.db")), None)
        }
        Backend::Postgres => {
            let database = TestDatabase::create().await;
            let store = Store::connect(&database.url).await.expect("connect postgres store");
            (store, Raw::Postgres(database.url.clone()), Some(database))
        }
    };
    assert_eq!(store.backend(), backend);
    let audio = AudioStore::new(store.clone(), dir.path()).await.expect("audio store");
    let outcome = tokio::spawn(test(Ctx { store: store.clone(), audio, raw })).await;
    store.close().await;
    if let Some(database) = postgres {
        database.drop().await;
    }
    match outcome {
        Ok(value) => value,
        Err(failure) => std::panic::resume_unwind(failure.into_panic()),
    }
}

pub fn postgres_server_url() -> String {
    std::env::var("COAGENT_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

/// A database of its own for one test, on the PostgreSQL server the suite requires.
pub struct TestDatabase {
    name: String,
    pub url: String,
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        let name = format!("coagent_test_{}", random_suffix());
        let mut admin = admin_connection().await;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create test database");
        let url = format!("{}/{name}", postgres_server_url().trim_end_matches('/'));
        TestDatabase { name, url }
    }

    pub async fn drop(self) {
        let mut admin = admin_connection().await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
            .execute(&mut admin)
            .await
            .expect("drop test database");
    }
}

async fn admin_connection() -> PgConnection {
    let url = postgres_server_url();
    match PgConnection::connect(&url).await {
        Ok(conn) => conn,
        // Failing, not skipping: a store that only passes on SQLite would go unnoticed.
        Err(error) => panic!(
            "PostgreSQL is unreachable at {url}: {error}.\n\
             The store's tests run on both backends and need a real PostgreSQL server (trust auth). \
             Start one there, or set COAGENT_TEST_POSTGRES_URL to a server URL without a database name."
        ),
    }
}

fn random_suffix() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Quiet unless TEST_LOG is set, then the store's spans and errors go to the test output.
fn init_tracing() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new("coagent_store=debug,sqlx=info"))
                .with_test_writer()
                .try_init();
        }
    });
}
