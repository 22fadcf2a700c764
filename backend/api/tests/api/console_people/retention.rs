//! Audio retention: old audio is deleted by the job runner, transcripts stay.

use std::time::Duration;

use coagent_store::{RecordingId, Role};
use serde_json::json;

use super::{json_of, sql};
use crate::helpers::{pcm, spawn_app, TestApp};

const DAY: i64 = 24 * 3_600_000;

/// A dictated ask: returns its id and its recording's id.
async fn dictated_ask(app: &TestApp, token: &str, seed: u16) -> (String, String) {
    let mut live = app.live(token).await;
    let ready = live.start(json!({})).await;
    live.send_audio(&pcm(16_000, seed)).await;
    live.send_json(json!({"type": "stop"})).await;
    let card = live.until("card").await;
    live.until("done").await;
    (card["ask_id"].as_str().unwrap().to_owned(), ready["recording_id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn audio_older_than_the_retention_period_is_deleted_and_its_transcript_kept() {
    let app = spawn_app().await;
    let ada = app.sign_in(Role::Manager, "Ada").await;
    let (old_ask, old_recording) = dictated_ask(&app, &ada, 1).await;
    let (new_ask, new_recording) = dictated_ask(&app, &ada, 2).await;
    let ninety_one_days = 91 * DAY;
    sql(
        &app,
        &format!("UPDATE recordings SET created_at = created_at - {ninety_one_days} WHERE id = '{old_recording}'"),
    )
    .await;
    let old_before = json_of(app.get(&ada, &format!("/api/v1/asks/{old_ask}")).await, 200).await;
    assert_eq!(app.get(&ada, &format!("/api/v1/asks/{old_ask}/audio")).await.status(), 200);
    let file = |recording: &str| app.data_dir.path().join("audio").join(format!("{recording}.pcm"));
    assert!(file(&old_recording).exists());

    // The runner queues retention itself, once per hour: draining runs it.
    app.drain().await;

    assert!(!file(&old_recording).exists(), "the old audio file is deleted");
    let id: RecordingId = old_recording.parse().unwrap();
    assert!(app.store.get_recording(id).await.unwrap().audio_deleted_at.is_some());
    let old_after = json_of(app.get(&ada, &format!("/api/v1/asks/{old_ask}")).await, 200).await;
    assert_eq!(old_after["transcript"], old_before["transcript"], "the transcript stays");
    assert_eq!(old_after["transcript"], "heard 16000 samples in total");
    let gone = json_of(app.get(&ada, &format!("/api/v1/asks/{old_ask}/audio")).await, 410).await;
    assert_eq!(gone["error"]["code"], "gone");
    assert_eq!(
        gone["error"]["message"],
        "the recording was deleted after the 90-day retention period; the transcript is kept"
    );

    assert!(file(&new_recording).exists(), "recent audio is kept");
    let new_id: RecordingId = new_recording.parse().unwrap();
    assert_eq!(app.store.get_recording(new_id).await.unwrap().audio_deleted_at, None);
    assert_eq!(app.get(&ada, &format!("/api/v1/asks/{new_ask}/audio")).await.status(), 200);
    app.drain_after(Duration::from_secs(3600)).await; // the next hour's run changes nothing more
    assert!(file(&new_recording).exists());
}
