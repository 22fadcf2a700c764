//! The concierge's ask page and its steering, through the API with a real push service on
//! loopback: editing the card, holding and resuming an ask, the matcher's ranking, asking or
//! withdrawing a peer by hand, curating and sending the digest, and hearing voice answers.

use std::io::Cursor;
use std::time::Duration;

use coagent_push::testing::TestPushService;
use coagent_push::Subscription;
use coagent_store::Role;
use serde_json::{json, Value};

use crate::helpers::{pcm, spawn_app, TestApp};

const NIGHT_SHIFT: &str = "Two team leads keep fighting over who owns the night shift schedule and overtime approval.";

/// Longer than the escalation delay: the next wave is due.
const PAST_ESCALATION: Duration = Duration::from_secs(31 * 60);

struct Person {
    name: &'static str,
    token: String,
    id: String,
    subscription: Subscription,
}

/// Claire asks; Cleo is the concierge; the peers are signed in and subscribed at the push service.
struct Network {
    app: TestApp,
    push: TestPushService,
    asker: Person,
    concierge: String,
    peers: Vec<Person>,
}

async fn network(peers: &[(&'static str, &str)]) -> Network {
    let (app, push) = (spawn_app().await, TestPushService::start().await);
    let key: Value = app.get("", "/api/v1/push/vapid-public-key").await.json().await.unwrap();
    push.expect_vapid_key(key["public_key"].as_str().unwrap());
    let asker = person(&app, &push, "Claire", "Plant management").await;
    let concierge = app.sign_in(Role::Concierge, "Cleo").await;
    let mut people = Vec::new();
    for (name, expertise) in peers {
        people.push(person(&app, &push, name, expertise).await);
    }
    Network { app, push, asker, concierge, peers: people }
}

async fn person(app: &TestApp, push: &TestPushService, name: &'static str, expertise: &str) -> Person {
    let token = app.sign_in(Role::Manager, name).await;
    app.profile(&token, expertise, name, name).await;
    let subscription = push.subscribe();
    let response =
        app.post_json(&token, "/api/v1/push/subscriptions", serde_json::to_value(&subscription).unwrap()).await;
    assert_eq!(response.status(), 201);
    let me: Value = app.get(&token, "/api/v1/me").await.json().await.unwrap();
    Person { name, id: me["id"].as_str().unwrap().to_owned(), token, subscription }
}

const FOUR_PEERS: &[(&str, &str)] = &[
    ("Ana", "Night shift schedule ownership and overtime approval between team leads"),
    ("Ben", "Overtime approval rules for the night shift"),
    ("Chloe", "Mediation when two team leads fight over ownership"),
    ("Dan", "Accounting, invoices and quarterly taxes"),
];

impl Network {
    fn peer(&self, name: &str) -> &Person {
        self.peers.iter().find(|peer| peer.name == name).unwrap()
    }

    /// The notifications a person received, decrypted.
    fn pushes(&self, person: &Person) -> Vec<Value> {
        let received = self.push.received_for(&person.subscription);
        received.iter().map(|push| serde_json::from_slice(&push.payload).unwrap()).collect()
    }

    fn digest_pushes(&self) -> usize {
        self.pushes(&self.asker).iter().filter(|teaser| teaser["kind"] == "digest").count()
    }

    async fn page(&self, ask_id: &str) -> Value {
        let response = self.app.get(&self.concierge, &format!("/api/v1/console/asks/{ask_id}")).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn steer(&self, path: &str, body: Value) -> reqwest::Response {
        self.app.post_json(&self.concierge, &format!("/api/v1/console/asks/{path}"), body).await
    }

    async fn answer(&self, peer: &str, ask_id: &str, text: &str) -> reqwest::Response {
        let path = format!("/api/v1/asks/{ask_id}/answers");
        self.app.post_json(&self.peer(peer).token, &path, json!({ "text": text })).await
    }

    async fn audit(&self, kind: &str, id: &str) -> Vec<Value> {
        let path = format!("/api/v1/console/audit?subject_kind={kind}&subject_id={id}");
        let log: Value = self.app.get(&self.concierge, &path).await.json().await.unwrap();
        log["entries"].as_array().unwrap().clone()
    }

    fn asked(page: &Value) -> Vec<&str> {
        page["asked"].as_array().unwrap().iter().map(|asked| asked["name"].as_str().unwrap()).collect()
    }
}

#[tokio::test]
async fn a_concierge_edits_the_card_and_the_asker_sees_it_was_edited() {
    let net = network(FOUR_PEERS).await;
    let ask_id = net.app.confirmed_ask(&net.asker.token, NIGHT_SHIFT).await;
    let card = json!({ "title": "Who owns the night shift?", "summary": "Two leads disagree.",
                       "help_needed": "A way to split ownership", "tags": ["shifts", " "] });

    let edited = net.app.put_json(&net.concierge, &format!("/api/v1/console/asks/{ask_id}/card"), card.clone()).await;

    assert_eq!(edited.status(), 200);
    let page: Value = edited.json().await.unwrap();
    assert_eq!(page["card"]["title"], "Who owns the night shift?");
    assert_eq!(page["card"]["tags"], json!(["shifts"]));
    assert!(page["concierge_edited_at"].as_str().unwrap().ends_with('Z'));
    let seen: Value = net.app.get(&net.asker.token, &format!("/api/v1/asks/{ask_id}")).await.json().await.unwrap();
    assert_eq!(
        (seen["edited_by_concierge"].as_bool(), seen["card"]["title"].as_str()),
        (Some(true), Some("Who owns the night shift?"))
    );
    let audit = net.audit("ask", &ask_id).await;
    assert_eq!(audit[0]["action"], "card.edit");
    assert_eq!(audit[0]["actor"]["name"], "Cleo");
    assert_eq!(audit[0]["before"]["title"], "About: Two team leads keep");
    assert_eq!(audit[0]["after"]["title"], "Who owns the night shift?");

    let empty = json!({ "title": " ", "summary": "s", "help_needed": "h", "tags": [] });
    let path = format!("/api/v1/console/asks/{ask_id}/card");
    assert_eq!(net.app.put_json(&net.concierge, &path, empty).await.status(), 422);
    let by_manager = net.app.put_json(&net.asker.token, &path, card.clone()).await;
    assert_eq!(by_manager.status(), 403);
    assert_eq!(by_manager.json::<Value>().await.unwrap()["error"]["code"], "not_concierge");
    let anonymous = net.app.http.put(format!("{}{path}", net.app.base)).json(&card).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    net.app.cleanup().await;
}

#[tokio::test]
async fn an_ask_on_hold_asks_no_new_wave_until_it_is_resumed() {
    let net = network(&[
        ("Ana", "Night shift schedule ownership and overtime approval between team leads"),
        ("Ben", "Overtime approval rules for the night shift"),
        ("Chloe", "Night shift schedule planning"),
        ("Eve", "Team leads fighting over the schedule"),
        ("Finn", "Overtime approval between team leads"),
    ])
    .await;
    let ask_id = net.app.confirmed_ask(&net.asker.token, NIGHT_SHIFT).await;
    net.app.drain().await;
    assert_eq!(Network::asked(&net.page(&ask_id).await).len(), 3, "the first wave");

    let paused = net.steer(&format!("{ask_id}/pause"), json!({})).await;
    assert_eq!(paused.status(), 200);
    let page: Value = paused.json().await.unwrap();
    assert_eq!((page["paused"].as_bool(), page["state"].as_str()), (Some(true), Some("waiting")));
    net.app.drain_after(PAST_ESCALATION).await;
    assert_eq!(Network::asked(&net.page(&ask_id).await).len(), 3, "no escalation while on hold");
    assert_eq!(net.steer(&format!("{ask_id}/pause"), json!({})).await.status(), 409);

    let resumed = net.steer(&format!("{ask_id}/resume"), json!({})).await;
    assert_eq!(resumed.status(), 200);
    net.app.drain_after(PAST_ESCALATION).await;

    let page = net.page(&ask_id).await;
    assert_eq!(page["paused"], false);
    assert_eq!(Network::asked(&page).len(), 5, "the escalation went out after resuming: {page}");
    let actions: Vec<Value> = net.audit("ask", &ask_id).await.iter().map(|entry| entry["action"].clone()).collect();
    assert_eq!(actions, [json!("ask.resume"), json!("ask.pause")]);
    net.app.cleanup().await;
}

#[tokio::test]
async fn an_ask_on_hold_keeps_its_digest_until_resumed_then_sends_it() {
    let net = network(FOUR_PEERS).await;
    let ask_id = net.app.confirmed_ask(&net.asker.token, NIGHT_SHIFT).await;
    net.app.drain().await;
    assert_eq!(net.steer(&format!("{ask_id}/pause"), json!({})).await.status(), 200);

    assert_eq!(net.answer("Ana", &ask_id, "Split the weeks. Each lead owns one.").await.status(), 201);
    net.app.drain().await;
    let page = net.page(&ask_id).await;
    assert_eq!(page["digest"]["text"], "Ana: Split the weeks.");
    assert_eq!(page["digest"]["sent_at"], Value::Null);
    assert_eq!(net.digest_pushes(), 0, "no digest is pushed while on hold");

    assert_eq!(net.steer(&format!("{ask_id}/resume"), json!({})).await.status(), 200);
    net.app.drain().await;

    assert_eq!(net.digest_pushes(), 1);
    assert!(net.page(&ask_id).await["digest"]["sent_at"].as_str().is_some());
    net.app.cleanup().await;
}

#[tokio::test]
async fn the_ranking_lists_every_active_member_but_the_asker_and_flags_who_was_asked() {
    let net = network(FOUR_PEERS).await;
    let ask_id = net.app.confirmed_ask(&net.asker.token, NIGHT_SHIFT).await;
    net.app.drain().await;

    let ranking: Value =
        net.app.get(&net.concierge, &format!("/api/v1/console/asks/{ask_id}/ranking")).await.json().await.unwrap();

    let candidates = ranking["candidates"].as_array().unwrap();
    let names: Vec<&str> = candidates.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert!(!names.contains(&"Claire"), "never the asker: {names:?}");
    assert_eq!(names[0], "Ana", "{ranking}");
    for name in ["Ana", "Ben", "Chloe", "Dan", "Cleo"] {
        assert!(names.contains(&name), "{name} is ranked: {names:?}");
    }
    let asked: Vec<&str> =
        candidates.iter().filter(|c| c["asked"] == true).map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(asked.len(), 3);
    assert!(!asked.contains(&"Dan"));
    let dan = candidates.iter().find(|c| c["name"] == "Dan").unwrap();
    assert_eq!((dan["eligible"].as_bool(), dan["score"].as_f64()), (Some(false), Some(0.0)));
    assert!(dan["reasons"]["summary"].as_str().unwrap().contains("not relevant"), "{dan}");
    let ranks: Vec<u64> = candidates.iter().map(|c| c["rank"].as_u64().unwrap()).collect();
    assert!(ranks.windows(2).all(|pair| pair[0] < pair[1]), "{ranks:?}");
    net.app.cleanup().await;
}

#[tokio::test]
async fn a_peer_asked_by_hand_gets_the_same_notification_as_a_routed_peer() {
    let net = network(FOUR_PEERS).await;
    let ask_id = net.app.confirmed_ask(&net.asker.token, NIGHT_SHIFT).await;
    net.app.drain().await;
    let dan = net.peer("Dan");
    assert!(net.pushes(dan).is_empty(), "the matcher did not choose Dan");

    let added = net.steer(&format!("{ask_id}/requests"), json!({ "member_id": dan.id })).await;
    assert_eq!(added.status(), 200);
    net.app.drain().await;

    let page: Value = added.json().await.unwrap();
    let asked = page["asked"].as_array().unwrap().iter().find(|asked| asked["name"] == "Dan").unwrap().clone();
    assert_eq!((asked["added_by"]["name"].as_str(), asked["state"].as_str()), (Some("Cleo"), Some("open")));
    assert_eq!(asked["reasons"]["added_by_concierge"], true);
    let teasers = net.pushes(dan);
    assert_eq!(teasers.len(), 1);
    assert_eq!((teasers[0]["kind"].as_str(), teasers[0]["ask_id"].as_str()), (Some("request"), Some(ask_id.as_str())));
    assert_eq!(teasers[0]["asker"], "Claire");
    let inbox: Value = net.app.get(&dan.token, "/api/v1/inbox").await.json().await.unwrap();
    assert_eq!(inbox["requests"][0]["ask_id"], ask_id.as_str());

    let twice = net.steer(&format!("{ask_id}/requests"), json!({ "member_id": dan.id })).await;
    assert_eq!(twice.status(), 409);
    let the_asker = net.steer(&format!("{ask_id}/requests"), json!({ "member_id": net.asker.id })).await;
    assert_eq!(the_asker.status(), 422);
    assert_eq!(net.audit("ask", &ask_id).await[0]["action"], "request.add");
    net.app.cleanup().await;
}

#[tokio::test]
async fn a_withdrawn_request_leaves_the_peers_inbox_and_their_answer_is_refused() {
    let net = network(FOUR_PEERS).await;
    let ask_id = net.app.confirmed_ask(&net.asker.token, NIGHT_SHIFT).await;
    net.app.drain().await;
    let ana = net.peer("Ana");
    let path = format!("{}/api/v1/console/asks/{ask_id}/requests/{}", net.app.base, ana.id);

    let withdrawn = net.app.http.delete(&path).bearer_auth(&net.concierge).send().await.unwrap();

    assert_eq!(withdrawn.status(), 200);
    let page: Value = withdrawn.json().await.unwrap();
    let asked = page["asked"].as_array().unwrap().iter().find(|asked| asked["name"] == "Ana").unwrap().clone();
    assert_eq!(asked["withdrawn"], true);
    let inbox: Value = net.app.get(&ana.token, "/api/v1/inbox").await.json().await.unwrap();
    assert!(inbox["requests"].as_array().unwrap().is_empty(), "{inbox}");
    let answered = net.answer("Ana", &ask_id, "Split the weeks.").await;
    assert_eq!(answered.status(), 409);
    assert!(answered.text().await.unwrap().contains("withdrew"));
    assert_eq!(net.app.get(&ana.token, &format!("/api/v1/asks/{ask_id}")).await.status(), 404);
    let twice = net.app.http.delete(&path).bearer_auth(&net.concierge).send().await.unwrap();
    assert_eq!(twice.status(), 409);
    let audit = net.audit("ask", &ask_id).await;
    assert_eq!(
        (audit[0]["action"].as_str(), audit[0]["after"]["withdrawn"].as_bool()),
        (Some("request.withdraw"), Some(true))
    );
    net.app.cleanup().await;
}

#[tokio::test]
async fn a_curated_digest_is_sent_to_the_asker_and_a_later_answer_is_appended_to_it() {
    let net = network(FOUR_PEERS).await;
    let ask_id = net.app.confirmed_ask(&net.asker.token, NIGHT_SHIFT).await;
    net.app.drain().await;
    assert_eq!(net.steer(&format!("{ask_id}/digest/send"), json!({})).await.status(), 409, "no digest yet");
    net.answer("Ana", &ask_id, "Split the weeks. Each lead owns one.").await;
    net.answer("Ben", &ask_id, "Ask payroll. They know the overtime rules.").await;
    net.app.drain().await;
    assert_eq!(net.digest_pushes(), 1);
    let page = net.page(&ask_id).await;
    let answer_id = |name: &str| {
        let answers = page["answers"].as_array().unwrap();
        answers.iter().find(|a| a["member"]["name"] == name).unwrap()["id"].as_str().unwrap().to_owned()
    };
    let (ana, ben) = (answer_id("Ana"), answer_id("Ben"));

    let curation = json!({ "points": [{ "answer_id": ana, "sentence": "Each lead owns alternate weeks." }],
                           "left_out": [ben] });
    let curated = net.app.put_json(&net.concierge, &format!("/api/v1/console/asks/{ask_id}/digest"), curation).await;

    assert_eq!(curated.status(), 200);
    let page: Value = curated.json().await.unwrap();
    assert_eq!(page["digest"]["text"], "Ana: Each lead owns alternate weeks.");
    assert_eq!(page["digest"]["points"][0]["source"], "concierge");
    assert_eq!(page["digest"]["curated_by"]["name"], "Cleo");
    let left_out: Vec<bool> = page["answers"].as_array().unwrap().iter().map(|a| a["left_out"] == true).collect();
    assert_eq!(left_out, [false, true]);
    net.app.drain().await;
    assert_eq!(net.digest_pushes(), 1, "curating does not send");

    assert_eq!(net.steer(&format!("{ask_id}/digest/send"), json!({})).await.status(), 200);
    net.app.drain().await;
    assert_eq!(net.digest_pushes(), 2, "sending does");
    let seen: Value = net.app.get(&net.asker.token, &format!("/api/v1/asks/{ask_id}")).await.json().await.unwrap();
    assert_eq!(seen["digest"]["text"], "Ana: Each lead owns alternate weeks.");

    net.answer("Chloe", &ask_id, "Mediate first. Then write down who owns what.").await;
    net.app.drain().await;

    let page = net.page(&ask_id).await;
    assert_eq!(page["digest"]["text"], "Ana: Each lead owns alternate weeks.\nChloe: Mediate first.");
    assert_eq!(net.digest_pushes(), 3, "the grown digest is announced");
    let actions: Vec<Value> = net.audit("digest", &ask_id).await.iter().map(|entry| entry["action"].clone()).collect();
    assert_eq!(actions, [json!("digest.send"), json!("digest.curate")]);
    let stray = json!({ "points": [{ "answer_id": ask_id, "sentence": "x" }], "left_out": [] });
    let path = format!("/api/v1/console/asks/{ask_id}/digest");
    assert_eq!(net.app.put_json(&net.concierge, &path, stray).await.status(), 422);
    net.app.cleanup().await;
}

#[tokio::test]
async fn a_voice_answer_can_be_heard_by_the_concierge_and_its_author_only() {
    let net = network(FOUR_PEERS).await;
    let ask_id = net.app.confirmed_ask(&net.asker.token, NIGHT_SHIFT).await;
    net.app.drain().await;
    let url = format!("{}/api/v1/asks/{ask_id}/answers", net.app.base);
    let uploaded = net.app.http.post(&url).bearer_auth(&net.peer("Ana").token).body(wav(16_000)).send().await.unwrap();
    assert_eq!(uploaded.status(), 201);
    let answer_id = uploaded.json::<Value>().await.unwrap()["answer_id"].as_str().unwrap().to_owned();
    let audio_path = format!("/api/v1/answers/{answer_id}/audio");

    let heard = net.app.get(&net.concierge, &audio_path).await;
    assert_eq!(heard.status(), 200);
    assert_eq!(heard.headers()["content-type"], "audio/wav");
    let samples = hound::WavReader::new(Cursor::new(heard.bytes().await.unwrap().to_vec())).unwrap().len();
    assert_eq!(samples, 16_000, "the upload, kept at 16 kHz");
    assert_eq!(net.app.get(&net.peer("Ana").token, &audio_path).await.status(), 200);
    assert_eq!(net.app.get(&net.peer("Ben").token, &audio_path).await.status(), 404);
    assert_eq!(net.app.get(&net.asker.token, &audio_path).await.status(), 404);

    let page = net.page(&ask_id).await;
    let answer = &page["answers"][0];
    assert_eq!((answer["via"].as_str(), answer["audio"]["available"].as_bool()), (Some("voice"), Some(true)));
    assert_eq!(answer["segments"], json!([{ "start_ms": 0, "end_ms": 1000, "text": "uploaded 16000 samples" }]));

    // As the retention job does: the file goes and the recording is marked; the transcript stays.
    let answer = net.app.store.get_answer(answer_id.parse().unwrap()).await.unwrap();
    let recording_id = answer.recording_id.expect("a voice answer's recording");
    std::fs::remove_file(net.app.data_dir.path().join("audio").join(format!("{recording_id}.pcm"))).ok();
    net.app.store.mark_audio_deleted(recording_id, coagent_store::Timestamp::now()).await.unwrap();
    let gone = net.app.get(&net.concierge, &audio_path).await;
    assert_eq!(gone.status(), 410);
    assert_eq!(gone.json::<Value>().await.unwrap()["error"]["code"], "gone");
    let page = net.page(&ask_id).await;
    assert_eq!(page["answers"][0]["audio"]["available"], false);
    assert_eq!(page["answers"][0]["text"], "uploaded 16000 samples");
    net.app.cleanup().await;
}

#[tokio::test]
async fn an_uploaded_ask_is_kept_as_a_recording_with_its_timed_transcript() {
    let app = spawn_app().await;
    let asker = app.sign_in(Role::Manager, "Claire").await;
    let concierge = app.sign_in(Role::Concierge, "Cleo").await;
    let url = format!("{}/api/v1/asks", app.base);

    let created = app.http.post(&url).bearer_auth(&asker).body(wav(32_000)).send().await.unwrap();

    assert_eq!(created.status(), 201);
    let ask: Value = created.json().await.unwrap();
    let ask_id = ask["id"].as_str().unwrap();
    assert!(ask["recording_id"].is_string(), "{ask}");
    let audio = app.get(&asker, &format!("/api/v1/asks/{ask_id}/audio")).await;
    assert_eq!(audio.status(), 200);
    let page = console_page(&app, &concierge, ask_id).await;
    assert_eq!(page["audio"]["url"], format!("/api/v1/asks/{ask_id}/audio"));
    assert_eq!(page["audio"]["available"], true);
    assert_eq!(page["segments"][0]["end_ms"], 2000);
    assert_eq!(page["state"], "draft");
    app.cleanup().await;
}

#[tokio::test]
async fn a_live_dictation_keeps_its_timed_transcript_and_a_typed_ask_has_none() {
    let app = spawn_app().await;
    let asker = app.sign_in(Role::Manager, "Claire").await;
    let concierge = app.sign_in(Role::Concierge, "Cleo").await;
    let mut live = app.live(&asker).await;
    live.start(json!({})).await;
    live.send_audio(&pcm(8_000, 1)).await;
    live.send_json(json!({ "type": "stop" })).await;
    let card = live.until("card").await;
    let typed: Value = app.text_ask(&asker, "A typed question about shifts").await.json().await.unwrap();

    let spoken = console_page(&app, &concierge, card["ask_id"].as_str().unwrap()).await;
    assert_eq!(spoken["segments"], json!([{ "start_ms": 0, "end_ms": 500, "text": "heard 8000 samples in total" }]));
    assert_eq!(spoken["audio"]["available"], true);
    let typed = console_page(&app, &concierge, typed["id"].as_str().unwrap()).await;
    assert_eq!((typed["segments"].clone(), typed["audio"].clone()), (json!([]), Value::Null));
    app.cleanup().await;
}

async fn console_page(app: &TestApp, concierge: &str, ask_id: &str) -> Value {
    app.get(concierge, &format!("/api/v1/console/asks/{ask_id}")).await.json().await.unwrap()
}

/// A WAV of `samples` at 16 kHz.
fn wav(samples: u32) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut cursor = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
    for i in 0..samples {
        writer.write_sample(((i % 200) as i16 - 100) * 50).unwrap();
    }
    writer.finalize().unwrap();
    cursor.into_inner()
}
