//! End-to-end live dictation: the real `coagent serve` with the real models, an invite from
//! `coagent invite --json`, the JFK sample streamed over the WebSocket in 100 ms frames, and
//! the resulting card confirmed over HTTP.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use coagent_speech::wer::{word_error_rate, JFK_REFERENCE};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::{client::IntoClientRequest as _, Message};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Kills the server when the test ends, passed or not.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn coagent(data_dir: &Path, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coagent"));
    command
        .current_dir(REPO)
        .env("COAGENT_ADDR", format!("127.0.0.1:{port}"))
        .env("COAGENT_DATA_DIR", data_dir)
        .env("COAGENT_PWA_DIR", data_dir.join("no-pwa"))
        .env_remove("DATABASE_URL");
    command
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_until_healthy(http: &reqwest::Client, base: &str, server: &mut Server, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(180);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("coagent serve exited ({status}): {}", std::fs::read_to_string(log).unwrap_or_default());
        }
        if http.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("coagent serve did not answer /healthz within 180 s: {}", std::fs::read_to_string(log).unwrap_or_default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jfk_dictated_live_becomes_a_confirmed_ask() {
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");

    let invite =
        coagent(data.path(), port).args(["invite", "--role", "manager", "--name", "Ada", "--json"]).output().unwrap();
    assert!(invite.status.success(), "{}", String::from_utf8_lossy(&invite.stderr));
    let invite: Value = serde_json::from_slice(&invite.stdout).unwrap();
    assert!(invite["link"].as_str().unwrap().contains(invite["code"].as_str().unwrap()));

    let log_path = data.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let child = coagent(data.path(), port).arg("serve").stdout(Stdio::null()).stderr(log).spawn().unwrap();
    let mut server = Server(child);
    let http = reqwest::Client::new();
    wait_until_healthy(&http, &base, &mut server, &log_path).await;

    let session: Value = http
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({ "invite_code": invite["code"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().expect("a session token").to_owned();

    let audio = coagent_audio::decode_wav_file(&Path::new(REPO).join("tests/fixtures/jfk.wav")).unwrap();
    let pcm: Vec<u8> =
        audio.samples().iter().flat_map(|sample| ((sample.clamp(-1.0, 1.0) * 32767.0) as i16).to_le_bytes()).collect();

    let mut request = format!("ws://127.0.0.1:{port}/api/v1/live").into_client_request().unwrap();
    request.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    socket.send(Message::Text(json!({"type": "start", "purpose": "ask"}).to_string().into())).await.unwrap();
    let ready = recv(&mut socket).await;
    assert_eq!(ready["type"], "ready", "{ready}");
    // 100 ms frames, a little faster than real time.
    let mut partials = 0;
    for frame in pcm.chunks(3_200) {
        socket.send(Message::Binary(frame.to_vec().into())).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Partials arrive while the audio is decoded; wait for at least one before stopping.
    while partials == 0 {
        let message = recv(&mut socket).await;
        assert_eq!(message["type"], "partial", "{message}");
        partials += 1;
    }
    socket.send(Message::Text(json!({"type": "stop"}).to_string().into())).await.unwrap();

    let (mut transcript, mut deltas, mut card) = (None, 0, None);
    loop {
        let message = recv(&mut socket).await;
        match message["type"].as_str().unwrap() {
            "partial" => {}
            "transcript" => transcript = Some(message),
            "summary_delta" => deltas += 1,
            "card" => card = Some(message),
            "done" => break,
            other => panic!("unexpected {other}: {message}"),
        }
    }
    let transcript = transcript.expect("a transcript");
    let text = transcript["text"].as_str().unwrap();
    assert!(word_error_rate(JFK_REFERENCE, text) <= 0.05, "{text}");
    assert_eq!(transcript["duration_ms"], 11_000);
    assert!(deltas > 0, "the summary streams token by token");
    let card = card.expect("a card");
    assert!(!card["title"].as_str().unwrap().trim().is_empty(), "{card}");

    let id = card["ask_id"].as_str().unwrap();
    let confirmed = http
        .post(format!("{base}/api/v1/asks/{id}/confirm"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let ask: Value =
        http.get(format!("{base}/api/v1/asks/{id}")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(ask["status"], "confirmed");
    assert_eq!(ask["card"]["title"], card["title"]);
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next text message; any `error` fails the test.
async fn recv(socket: &mut Socket) -> Value {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(300), socket.next())
            .await
            .expect("a server message within 300 s")
            .expect("the connection is open")
            .expect("a readable frame");
        if let Message::Text(text) = frame {
            let message: Value = serde_json::from_str(text.as_str()).unwrap();
            assert_ne!(message["type"], "error", "{message}");
            return message;
        }
    }
}
