use std::path::Path;
use std::time::Duration;

use coagent_store::{RecordingId, Role};
use serde_json::{json, Value};

use crate::helpers::{pcm, spawn_app, TestApp};

fn stored_audio(app: &TestApp, recording_id: &str) -> Vec<u8> {
    let id: RecordingId = recording_id.parse().unwrap();
    std::fs::read(Path::new(app.data_dir.path()).join("audio").join(format!("{id}.pcm"))).unwrap()
}

#[tokio::test]
async fn a_dictation_streams_partials_then_transcript_summary_card_and_done() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let mut live = app.live(&token).await;
    let ready = live.start(json!({})).await;
    assert_eq!(ready["received_ms"], 0);
    let audio = pcm(16_000, 1); // one second at 16 kHz
    for frame in audio.chunks(3_200) {
        live.send_audio(frame).await;
    }
    let partial = live.until("partial").await;
    // The test stream hears exactly the samples it was given: `audio_ms` says how many.
    let audio_ms = partial["audio_ms"].as_u64().expect("partials say how much audio they reflect");
    assert!(audio_ms > 0 && audio_ms <= 1000, "{partial}");
    assert_eq!(partial["committed"], format!("heard {}", audio_ms * 16), "{partial}");
    live.send_json(json!({"type": "stop"})).await;

    let transcript = live.until("transcript").await;
    assert_eq!(transcript["text"], "heard 16000 samples in total");
    assert_eq!(transcript["duration_ms"], 1000);
    assert_eq!(transcript["recording_id"], ready["recording_id"]);
    let delta = live.until("summary_delta").await;
    assert_eq!(delta["text"], "heard");
    let card = live.until("card").await;
    assert_eq!(card["title"], "About: heard 16000 samples in");
    assert_eq!(card["tags"], json!(["test"]));
    live.until("done").await;

    // The ask draft is stored, points at its recording, and only its asker sees it.
    let ask: Value =
        app.get(&token, &format!("/api/v1/asks/{}", card["ask_id"].as_str().unwrap())).await.json().await.unwrap();
    assert_eq!(ask["status"], "draft");
    assert_eq!(ask["recording_id"], ready["recording_id"]);
    assert_eq!(stored_audio(&app, ready["recording_id"].as_str().unwrap()), audio);
}

#[tokio::test]
async fn a_dropped_dictation_resumes_and_the_stored_audio_is_every_byte_sent() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let audio = pcm(48_000, 3); // three seconds
    let (before, after) = audio.split_at(32_000 + 3_200); // 1.1 s, then the rest

    let mut first = app.live(&token).await;
    let ready = first.start(json!({})).await;
    let recording_id = ready["recording_id"].as_str().unwrap().to_owned();
    for frame in before.chunks(3_200) {
        first.send_audio(frame).await;
    }
    // Wait until the server acknowledged the audio (a partial follows the stored frames).
    first.until("partial").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    first.drop_connection().await;

    let mut second = app.live(&token).await;
    let resumed = second.start(json!({ "resume": recording_id })).await;
    assert_eq!(resumed["recording_id"], recording_id.as_str());
    let received_ms = resumed["received_ms"].as_u64().unwrap();
    assert!(received_ms > 0 && received_ms <= 1_100, "{resumed}");
    // The client resends from the millisecond the server reported.
    let resend_from = usize::try_from(received_ms).unwrap() * 32;
    for frame in audio[resend_from..].chunks(3_200) {
        second.send_audio(frame).await;
    }
    second.send_json(json!({"type": "stop"})).await;
    let transcript = second.until("transcript").await;
    assert_eq!(transcript["duration_ms"], 3000);
    assert_eq!(transcript["text"], "heard 48000 samples in total");
    second.until("done").await;

    assert_eq!(stored_audio(&app, &recording_id), audio, "stored audio must equal every byte sent");
    assert!(!after.is_empty());
}

#[tokio::test]
async fn malformed_input_gets_its_own_code_and_a_concurrent_stream_is_unaffected() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let mut good = app.live(&token).await;
    good.start(json!({})).await;
    good.send_audio(&pcm(8_000, 5)).await;

    let mut bad = app.live(&token).await;
    bad.send_audio(&pcm(100, 0)).await;
    assert_eq!(bad.recv().await["code"], "not_started");
    bad.send_text("hello, I am not JSON").await;
    assert_eq!(bad.recv().await["code"], "invalid_message");
    bad.send_json(json!({"type": "dance"})).await;
    assert_eq!(bad.recv().await["code"], "invalid_message");
    for rate in [0, 10_000_000] {
        bad.send_json(json!({"type": "start", "purpose": "ask", "sample_rate": rate})).await;
        assert_eq!(bad.recv().await["code"], "invalid_sample_rate", "rate {rate}");
    }
    bad.send_json(json!({"type": "start", "purpose": "ask", "resume": "not-an-id"})).await;
    assert_eq!(bad.recv().await["code"], "recording_not_found");
    let ready = bad.start(json!({})).await;
    bad.send_audio(&[1, 2, 3]).await;
    assert_eq!(bad.recv().await["code"], "odd_pcm_length");
    bad.send_text("raw text where audio belongs").await;
    assert_eq!(bad.recv().await["code"], "invalid_message");
    bad.send_json(json!({"type": "start", "purpose": "ask"})).await;
    assert_eq!(bad.recv().await["code"], "already_started");
    // After all that, the same connection still dictates, and the odd frame was not stored.
    bad.send_audio(&pcm(1_600, 0)).await;
    bad.send_json(json!({"type": "stop"})).await;
    assert_eq!(bad.until("transcript").await["text"], "heard 1600 samples in total");
    assert_eq!(stored_audio(&app, ready["recording_id"].as_str().unwrap()), pcm(1_600, 0));

    good.send_audio(&pcm(8_000, 6)).await;
    good.send_json(json!({"type": "stop"})).await;
    assert_eq!(good.until("transcript").await["text"], "heard 16000 samples in total");
    good.until("done").await;
    assert!(app.healthy().await);
}

#[tokio::test]
async fn audio_at_48_khz_is_resampled_to_16_khz_for_the_engine() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let mut live = app.live(&token).await;
    live.start(json!({"sample_rate": 48_000})).await;
    for frame in pcm(48_000 * 2 + 4_800, 9).chunks(9_600) {
        live.send_audio(frame).await;
    }
    live.send_json(json!({"type": "stop"})).await;
    let transcript = live.until("transcript").await;
    assert_eq!(transcript["text"], "heard 33600 samples in total");
    assert_eq!(transcript["duration_ms"], 2100);
}

#[tokio::test]
async fn the_live_socket_requires_a_session() {
    let app = spawn_app().await;
    let response = app.http.get(format!("{}/api/v1/live", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let other = app.sign_in(Role::Manager, "Bob").await;
    let owner = app.sign_in(Role::Manager, "Ada").await;
    let mut live = app.live(&owner).await;
    let ready = live.start(json!({})).await;
    live.drop_connection().await;
    // Someone else cannot resume (or even detect) Ada's recording.
    let mut intruder = app.live(&other).await;
    intruder.send_json(json!({"type": "start", "purpose": "ask", "resume": ready["recording_id"]})).await;
    assert_eq!(intruder.recv().await["code"], "recording_not_found");
}
