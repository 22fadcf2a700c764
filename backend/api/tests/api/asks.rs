use std::io::Cursor;

use coagent_store::Role;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, Options};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)).unwrap()
}

fn wav(seconds: u32, rate: u32) -> Vec<u8> {
    let spec =
        hound::WavSpec { channels: 1, sample_rate: rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut cursor = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
    for i in 0..seconds * rate {
        writer.write_sample(((i % 200) as i16 - 100) * 50).unwrap();
    }
    writer.finalize().unwrap();
    cursor.into_inner()
}

#[tokio::test]
async fn a_typed_ask_becomes_a_draft_that_its_asker_confirms_with_edits() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let created = app.text_ask(&token, "Our supplier in Lyon keeps missing deliveries").await;
    assert_eq!(created.status(), 201);
    let ask: Value = created.json().await.unwrap();
    assert_eq!(ask["status"], "draft");
    assert_eq!(ask["card"]["title"], "About: Our supplier in Lyon");
    let id = ask["id"].as_str().unwrap();

    let confirmed = app.confirm(&token, id, json!({ "title": "Supplier misses deliveries", "tags": ["supply"] })).await;
    assert_eq!(confirmed.status(), 200);
    let read: Value = app.get(&token, &format!("/api/v1/asks/{id}")).await.json().await.unwrap();
    assert_eq!(read["status"], "confirmed");
    assert_eq!(read["card"]["title"], "Supplier misses deliveries");
    assert_eq!(read["card"]["edited"], true);

    let twice: Value = app.confirm(&token, id, json!({})).await.json().await.unwrap();
    assert_eq!(twice["error"]["code"], "invalid_transition");
}

#[tokio::test]
async fn my_asks_are_listed_newest_first() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    for text in ["first problem here", "second problem here"] {
        app.text_ask(&token, text).await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let list: Value = app.get(&token, "/api/v1/asks").await.json().await.unwrap();
    let asks = list["asks"].as_array().unwrap();
    assert_eq!(asks.len(), 2);
    assert_eq!(asks[0]["card"]["summary"], "second problem here");
    assert!(asks[0]["created_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn only_the_asker_and_a_concierge_can_read_a_draft() {
    let app = spawn_app().await;
    let asker = app.sign_in(Role::Manager, "Ada").await;
    let other = app.sign_in(Role::Manager, "Bob").await;
    let concierge = app.sign_in(Role::Concierge, "Cleo").await;
    let ask: Value = app.text_ask(&asker, "How do I hire faster").await.json().await.unwrap();
    let path = format!("/api/v1/asks/{}", ask["id"].as_str().unwrap());

    let hidden = app.get(&other, &path).await;
    assert_eq!(hidden.status(), 404);
    assert_eq!(hidden.json::<Value>().await.unwrap()["error"]["code"], "not_found");
    assert_eq!(app.confirm(&other, ask["id"].as_str().unwrap(), json!({})).await.status(), 404);
    assert_eq!(app.get(&concierge, &path).await.status(), 200);
    assert_eq!(app.get(&other, "/api/v1/asks/not-a-uuid").await.status(), 404);
}

#[tokio::test]
async fn a_wav_upload_as_multipart_or_raw_body_is_transcribed_into_a_draft() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let part = reqwest::multipart::Part::bytes(wav(1, 44_100)).file_name("note.wav").mime_str("audio/wav").unwrap();
    let form = reqwest::multipart::Form::new().part("audio", part);
    let url = format!("{}/api/v1/asks", app.base);
    let response = app.http.post(&url).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let ask: Value = response.json().await.unwrap();
    assert_eq!(ask["transcript"], "uploaded 16000 samples");

    let raw = app
        .http
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "audio/wav")
        .body(wav(2, 16_000))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.json::<Value>().await.unwrap()["transcript"], "uploaded 32000 samples");
}

#[tokio::test]
async fn phone_recordings_in_m4a_ogg_and_webm_are_decoded_and_transcribed_into_drafts() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let url = format!("{}/api/v1/asks", app.base);
    for (name, mime) in [("jfk.m4a", "audio/mp4"), ("jfk.ogg", "audio/ogg"), ("jfk.webm", "audio/webm")] {
        let part = reqwest::multipart::Part::bytes(fixture(name)).file_name(name).mime_str(mime).unwrap();
        let form = reqwest::multipart::Form::new().part("audio", part);
        let response = app.http.post(&url).bearer_auth(&token).multipart(form).send().await.unwrap();
        assert_eq!(response.status(), 201, "{name}");
        let ask: Value = response.json().await.unwrap();
        // The counting engine reports what reached it: the sample's 11 s at 16 kHz.
        let transcript = ask["transcript"].as_str().unwrap();
        let samples: i64 =
            transcript.strip_prefix("uploaded ").unwrap().strip_suffix(" samples").unwrap().parse().unwrap();
        assert!((samples - 176_000).abs() <= 1_600, "{name}: {transcript}");
        let draft: Value =
            app.get(&token, &format!("/api/v1/asks/{}", ask["id"].as_str().unwrap())).await.json().await.unwrap();
        assert_eq!(draft["transcript"], transcript);
    }
}

#[tokio::test]
async fn a_non_audio_upload_or_a_broken_ogg_is_invalid_audio_and_an_amr_voice_note_is_unsupported() {
    let app = spawn_app().await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let url = format!("{}/api/v1/asks", app.base);
    let post = |content_type: &'static str, body: Vec<u8>| {
        app.http.post(&url).bearer_auth(&token).header("content-type", content_type).body(body).send()
    };
    let text = post("audio/wav", b"just text".to_vec()).await.unwrap();
    assert_eq!(text.status(), 422);
    assert_eq!(text.json::<Value>().await.unwrap()["error"]["code"], "invalid_audio");

    let ogg = post("audio/ogg", b"OggS\0\x02page".to_vec()).await.unwrap();
    assert_eq!(ogg.status(), 422);
    let body = ogg.json::<Value>().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_audio");
    assert_eq!(body["error"]["message"], "the Ogg file is truncated: it ends in the middle of its audio");

    // jfk.m4a relabelled as AMR speech, the codec of many 3GP voice notes.
    let mut amr = fixture("jfk.m4a");
    let at = amr.windows(4).position(|window| window == b"mp4a").unwrap();
    amr[at..at + 4].copy_from_slice(b"samr");
    let unsupported = post("audio/3gpp", amr).await.unwrap();
    assert_eq!(unsupported.status(), 415);
    assert_eq!(unsupported.json::<Value>().await.unwrap()["error"]["code"], "unsupported_media_type");
}

#[tokio::test]
async fn a_200_mb_upload_is_refused_as_too_large_and_the_server_stays_up() {
    let app = spawn_app_with(Options { max_upload_bytes: 10 * 1024 * 1024, ..Options::default() }).await;
    let token = app.sign_in(Role::Manager, "Ada").await;
    let huge = vec![0u8; 200 * 1024 * 1024];
    let sent = app
        .http
        .post(format!("{}/api/v1/asks", app.base))
        .bearer_auth(&token)
        .header("content-type", "audio/wav")
        .body(huge)
        .send()
        .await;
    // The server answers before reading the body; the client may see the 413 or, having
    // been cut off mid-upload, a reset. Either way the server must stay up.
    if let Ok(response) = sent {
        assert_eq!(response.status(), 413);
        assert_eq!(response.json::<Value>().await.unwrap()["error"]["code"], "payload_too_large");
    }
    assert!(app.healthy().await);
    assert_eq!(app.text_ask(&token, "still working after that").await.status(), 201);
}
