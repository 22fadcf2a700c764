//! Connecting, migrations, and the schemas of the two backends staying equivalent.

use coagent_store::{Backend, Store, StoreError};

use crate::common::{self, Ctx};

#[tokio::test]
async fn an_unsupported_database_url_is_refused_without_echoing_it() {
    let outcome = Store::connect("mysql://root:hunter2@localhost/db").await;

    match outcome {
        Err(error @ StoreError::UnsupportedUrl(_)) => assert!(!error.to_string().contains("hunter2"), "{error}"),
        other => panic!("expected UnsupportedUrl, got {other:?}"),
    }
}

#[tokio::test]
async fn sqlite_in_creates_the_data_directory_and_reopens_it_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("nested").join("data");

    let store = Store::sqlite_in(&data_dir).await.unwrap();
    let member = store.create_member("Marc", coagent_store::Role::Manager).await.unwrap();
    store.close().await;
    assert!(data_dir.join("coagent.db").is_file());

    // Reopening runs the migrations again, which must be a no-op.
    let reopened = Store::sqlite_in(&data_dir).await.unwrap();
    assert_eq!(reopened.get_member(member.id).await.unwrap(), member);
}

#[tokio::test]
async fn a_sqlite_url_is_accepted_and_creates_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("by-url.db");

    let store = Store::connect(&format!("sqlite://{}", path.display())).await.unwrap();

    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(path.is_file());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_database_runs_in_wal_mode() {
    common::run(Backend::Sqlite, |t: Ctx| async move {
        assert_eq!(t.texts("PRAGMA journal_mode").await, vec!["wal".to_owned()]);
    })
    .await;
}

/// Each table's columns (with nullability) and each index made by the migrations, as text.
const SQLITE_SHAPE: &str =
    "SELECT m.name || '.' || p.name || ' ' || p.type || CASE p.\"notnull\" WHEN 1 THEN ' not null' ELSE '' END \
     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
     UNION ALL SELECT 'index ' || name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
const POSTGRES_SHAPE: &str = "SELECT table_name || '.' || column_name || ' ' || UPPER(data_type) || \
     CASE is_nullable WHEN 'NO' THEN ' not null' ELSE '' END \
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' \
     UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public' \
     AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_have_the_same_tables_columns_and_indexes() {
    let shape = |sql: &'static str| {
        move |t: Ctx| async move {
            let mut shape = t.texts(sql).await;
            shape.sort();
            shape
        }
    };
    let sqlite = common::run(Backend::Sqlite, shape(SQLITE_SHAPE)).await;
    let postgres = common::run(Backend::Postgres, shape(POSTGRES_SHAPE)).await;

    assert!(sqlite.len() > 40, "{sqlite:#?}");
    assert_eq!(sqlite, postgres, "the sqlite and postgres migrations have drifted apart");
}
