//! A PostgreSQL database of its own for one test (as the store's tests do). Failing, not
//! skipping, when the server is down: the API must pass on both backends.

use rand::RngCore as _;
use sqlx::{Connection as _, PgConnection};

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432";

pub struct TestDatabase {
    name: String,
    pub url: String,
}

fn server_url() -> String {
    std::env::var("COAGENT_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

async fn admin() -> PgConnection {
    let url = server_url();
    PgConnection::connect(&url).await.unwrap_or_else(|error| {
        panic!(
            "PostgreSQL is unreachable at {url}: {error}. The API's tests need a real PostgreSQL server \
             (trust auth); start one there or set COAGENT_TEST_POSTGRES_URL to a server URL without a database."
        )
    })
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        let mut bytes = [0u8; 8];
        rand::rng().fill_bytes(&mut bytes);
        let name = format!("coagent_api_test_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin().await)
            .await
            .expect("create test database");
        let url = format!("{}/{name}", server_url().trim_end_matches('/'));
        TestDatabase { name, url }
    }

    pub async fn drop(self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        sqlx::query(&sql).execute(&mut admin().await).await.expect("drop test database");
    }
}
