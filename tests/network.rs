//! The whole loop through the HTTP and WebSocket API of the real `coagent serve`, with the real
//! models and a real push service on loopback: a manager dictates a problem (a WAV upload),
//! confirms it; three peers with different expertise are asked in the right order and get an
//! encrypted, signed notification; two answer (one by voice over the live socket, one typed);
//! the asker gets the digest push, and the digest attributes both answers faithfully; the
//! asker's ratings then change who is asked first for the next, similar problem.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use coagent_push::testing::TestPushService;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::{client::IntoClientRequest as _, Message};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

const PROBLEM: &str = "Hi, this is Claire from the Lyon plant. Two of my team leads keep arguing about who owns \
    the night shift schedule, and last week nobody approved the overtime. I need advice from someone who has \
    sorted out this kind of conflict.";
const ANA_SAYS: &str = "Split the schedule. Each lead owns alternate weeks and approves the overtime for their \
    own weeks. We did that in Porto and the arguments stopped within a month.";
const BEN_WRITES: &str = "Ask the plant manager to name one owner for overtime approval and publish it. \
    The ambiguity is the real problem, not the people.";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Member {
    name: &'static str,
    id: String,
    token: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ask_is_routed_answered_by_voice_and_text_condensed_and_rated() {
    let data = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let push = TestPushService::start().await;
    let log_path = data.path().join("serve.log");
    let child = Command::new(env!("CARGO_BIN_EXE_coagent"))
        .current_dir(REPO)
        .arg("serve")
        .env("COAGENT_ADDR", format!("127.0.0.1:{port}"))
        .env("COAGENT_DATA_DIR", data.path())
        .env("COAGENT_PWA_DIR", data.path().join("no-pwa"))
        .env("COAGENT_PUSH_SUBJECT", "mailto:test@coagent.invalid")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let http = reqwest::Client::builder().timeout(Duration::from_secs(300)).build().unwrap();
    wait_until_healthy(&http, &base, &mut server, &log_path).await;
    let key: Value =
        http.get(format!("{base}/api/v1/push/vapid-public-key")).send().await.unwrap().json().await.unwrap();
    push.expect_vapid_key(key["public_key"].as_str().unwrap());

    let claire = join(&http, &base, data.path(), "Claire", "Plant management", "Production", "Lyon").await;
    let claire_push = subscribe(&http, &base, &claire, &push).await;
    let peers = [
        (
            "Ana",
            "Night shift scheduling and overtime approval disputes between team leads in factories",
            "Maintenance",
            "Porto",
        ),
        ("Ben", "Running production teams: shift planning, team leads and plant operations", "Logistics", "Lille"),
        ("Chloe", "Hiring and onboarding new factory staff", "People", "Paris"),
    ];
    let mut members = Vec::new();
    let mut subscriptions = Vec::new();
    for (name, expertise, team, site) in peers {
        let member = join(&http, &base, data.path(), name, expertise, team, site).await;
        subscriptions.push(subscribe(&http, &base, &member, &push).await);
        members.push(member);
    }
    let (ana, ben, chloe) = (&members[0], &members[1], &members[2]);

    // The manager dictates (a WAV upload) and confirms the proposed card.
    let wav = speak(data.path(), "problem", PROBLEM);
    let form = reqwest::multipart::Form::new()
        .part("audio", reqwest::multipart::Part::bytes(std::fs::read(&wav).unwrap()).file_name("problem.wav"));
    let draft: Value = http
        .post(format!("{base}/api/v1/asks"))
        .bearer_auth(&claire.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ask_id = draft["id"].as_str().unwrap_or_else(|| panic!("a draft: {draft}")).to_owned();
    let heard = draft["transcript"].as_str().unwrap().to_lowercase();
    assert!(heard.contains("shift schedule") && heard.contains("overtime"), "the dictation was transcribed: {draft}");
    post(&http, &base, &claire.token, &format!("/api/v1/asks/{ask_id}/confirm"), json!({})).await;

    // The three peers are asked, the closest expertise first, and each gets one teaser.
    let ask =
        poll(&http, &base, &claire.token, &ask_id, |ask| ask["asked"].as_array().is_some_and(|a| a.len() == 3)).await;
    let order: Vec<&str> = ask["asked"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(order, ["Ana", "Ben", "Chloe"], "{ask}");
    push.wait_for(3, Duration::from_secs(30)).await;
    for (member, subscription) in members.iter().zip(&subscriptions) {
        let teasers = push.received_for(subscription);
        assert_eq!(teasers.len(), 1, "{} is notified once", member.name);
        let teaser: Value = serde_json::from_slice(&teasers[0].payload).unwrap();
        assert_eq!((teaser["kind"].as_str(), teaser["ask_id"].as_str()), (Some("request"), Some(ask_id.as_str())));
    }

    // Ana answers by voice over the live socket, Ben by text; Chloe does not answer.
    let voice = voice_answer(port, &ana.token, &ask_id, &speak(data.path(), "ana", ANA_SAYS)).await;
    assert!(voice["transcript"].to_lowercase().contains("week"), "{voice:?}");
    post(&http, &base, &ben.token, &format!("/api/v1/asks/{ask_id}/answers"), json!({ "text": BEN_WRITES })).await;

    // The digest covers both answers, attributed and faithful, and the asker is notified.
    let ask = poll(&http, &base, &claire.token, &ask_id, |ask| {
        ask["digest"]["points"].as_array().is_some_and(|p| p.len() == 2)
    })
    .await;
    let points = ask["digest"]["points"].as_array().unwrap();
    eprintln!("digest:\n{}", ask["digest"]["text"].as_str().unwrap());
    let point =
        |author: &str| points.iter().find(|p| p["author"] == author).unwrap_or_else(|| panic!("{author}: {ask}"));
    let answer_text = |author: &str| {
        ask["answers"].as_array().unwrap().iter().find(|a| a["author"]["name"] == author).unwrap()["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    for author in ["Ana", "Ben"] {
        let sentence = point(author)["sentence"].as_str().unwrap();
        assert!(
            shared_words(sentence, &answer_text(author)) >= 2,
            "{author}'s point is drawn from their answer: {sentence}"
        );
    }
    assert!(points.iter().all(|p| p["author"] != "Chloe"), "nobody is credited with what they did not say");
    assert_eq!(
        ask["answers"].as_array().unwrap().iter().find(|a| a["author"]["name"] == "Ana").unwrap()["via"],
        "voice"
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while !push
        .received_for(&claire_push)
        .iter()
        .any(|p| serde_json::from_slice::<Value>(&p.payload).unwrap()["kind"] == "digest")
    {
        assert!(Instant::now() < deadline, "the asker gets a digest push");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Ratings feed matching: Ben's answer helped, Ana's did not, so when the same problem comes
    // back (another plant, same words) Ben, weaker on paper, is now asked before Ana.
    for (peer, helpful) in [(ben, true), (ana, false)] {
        let answer_id =
            ask["answers"].as_array().unwrap().iter().find(|a| a["author"]["id"] == peer.id.as_str()).unwrap()["id"]
                .clone();
        post(
            &http,
            &base,
            &claire.token,
            &format!("/api/v1/asks/{ask_id}/feedback"),
            json!({"answer_id": answer_id, "helpful": helpful}),
        )
        .await;
    }
    let next: Value = post(
        &http,
        &base,
        &claire.token,
        "/api/v1/asks",
        json!({
            "text": "Two of my team leads keep arguing about who owns the night shift schedule, and nobody approved \
                     the overtime last week. I need advice from someone who has sorted out this kind of conflict."
        }),
    )
    .await;
    let next_id = next["id"].as_str().unwrap().to_owned();
    post(&http, &base, &claire.token, &format!("/api/v1/asks/{next_id}/confirm"), json!({})).await;
    let next =
        poll(&http, &base, &claire.token, &next_id, |ask| ask["asked"].as_array().is_some_and(|a| a.len() >= 2)).await;
    let order: Vec<&str> = next["asked"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    let rank = |name: &str| order.iter().position(|n| *n == name);
    assert!(rank("Ben") < rank("Ana"), "the helpful answerer now comes first: {order:?}\n{next}");
    let ben_reasons = &next["asked"][rank("Ben").unwrap()]["reasons"];
    assert_eq!(ben_reasons["evidence"], "helpful_answer", "{ben_reasons}");
    let _ = chloe;
    assert!(push.failures().is_empty(), "{:?}", push.failures());
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

/// A member joins through `coagent invite` and writes their profile.
async fn join(
    http: &reqwest::Client,
    base: &str,
    data: &Path,
    name: &'static str,
    expertise: &str,
    team: &str,
    site: &str,
) -> Member {
    let invite = Command::new(env!("CARGO_BIN_EXE_coagent"))
        .args(["invite", "--role", "manager", "--name", name, "--json"])
        .env("COAGENT_DATA_DIR", data)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(invite.status.success(), "{}", String::from_utf8_lossy(&invite.stderr));
    let invite: Value = serde_json::from_slice(&invite.stdout).unwrap();
    let session: Value = post(http, base, "", "/api/v1/sessions", json!({ "invite_code": invite["code"] })).await;
    let token = session["token"].as_str().unwrap().to_owned();
    let profile = json!({
        "expertise": expertise, "team": team, "site": site, "timezone": "UTC", "quiet_hours": null,
        "weekly_budget": 5, "contact": {"email": format!("{}@example.com", name.to_lowercase()), "phone": null},
    });
    let response =
        http.put(format!("{base}/api/v1/me/profile")).bearer_auth(&token).json(&profile).send().await.unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    Member { name, id: session["member"]["id"].as_str().unwrap().to_owned(), token }
}

async fn subscribe(
    http: &reqwest::Client,
    base: &str,
    member: &Member,
    push: &TestPushService,
) -> coagent_push::Subscription {
    let subscription = push.subscribe();
    post(http, base, &member.token, "/api/v1/push/subscriptions", serde_json::to_value(&subscription).unwrap()).await;
    subscription
}

/// POSTs JSON, expects success, returns the JSON answer (null for an empty body).
async fn post(http: &reqwest::Client, base: &str, token: &str, path: &str, body: Value) -> Value {
    let response = http.post(format!("{base}{path}")).bearer_auth(token).json(&body).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Reads the ask until `ready` holds (background jobs are at work), for up to five minutes.
async fn poll(http: &reqwest::Client, base: &str, token: &str, id: &str, ready: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let ask: Value =
            http.get(format!("{base}/api/v1/asks/{id}")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
        if ready(&ask) {
            return ask;
        }
        assert!(Instant::now() < deadline, "the ask never got there: {ask}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A spoken answer over the live WebSocket, 100 ms frames; returns the transcript and answer id.
async fn voice_answer(
    port: u16,
    token: &str,
    ask_id: &str,
    wav: &Path,
) -> std::collections::HashMap<&'static str, String> {
    let audio = coagent_audio::decode_wav_file(wav).unwrap();
    let pcm: Vec<u8> =
        audio.samples().iter().flat_map(|s| ((s.clamp(-1.0, 1.0) * 32767.0) as i16).to_le_bytes()).collect();
    let mut request = format!("ws://127.0.0.1:{port}/api/v1/live").into_client_request().unwrap();
    request.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let start = json!({"type": "start", "purpose": "answer", "ask_id": ask_id});
    socket.send(Message::Text(start.to_string().into())).await.unwrap();
    for frame in pcm.chunks(3_200) {
        socket.send(Message::Binary(frame.to_vec().into())).await.unwrap();
    }
    socket.send(Message::Text(json!({"type": "stop"}).to_string().into())).await.unwrap();
    let mut out = std::collections::HashMap::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(300), socket.next()).await.unwrap().unwrap().unwrap();
        let Message::Text(text) = frame else { continue };
        let message: Value = serde_json::from_str(text.as_str()).unwrap();
        match message["type"].as_str().unwrap() {
            "transcript" => {
                out.insert("transcript", message["text"].as_str().unwrap().to_owned());
            }
            "answer" => {
                out.insert("answer_id", message["answer_id"].as_str().unwrap().to_owned());
            }
            "done" => return out,
            "error" => panic!("{message}"),
            _ => {}
        }
    }
}

/// Speaks `text` with espeak-ng into a WAV (slow and spaced: espeak's default pace is hard to transcribe).
fn speak(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{name}.wav"));
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "140", "-g", "3", "-w"])
        .arg(&path)
        .arg(text)
        .status()
        .expect("espeak-ng makes the test speech: install it (scripts/setup.sh does)");
    assert!(status.success(), "espeak-ng failed");
    path
}

/// Content words (longer than three letters) two texts share.
fn shared_words(a: &str, b: &str) -> usize {
    let words = |text: &str| -> std::collections::BTreeSet<String> {
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 3).map(str::to_lowercase).collect()
    };
    words(a).intersection(&words(b)).count()
}
