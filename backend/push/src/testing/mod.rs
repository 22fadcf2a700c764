//! A push service for tests (feature `test-service`): it listens on 127.0.0.1, hands out
//! subscriptions with real P-256 keys, and for every message checks the VAPID token and headers
//! and decrypts the body the way a browser would, so a test sees the plaintext that arrived. Its
//! answers can be scripted per subscription (gone, an error status, temporarily unavailable).

mod decrypt;
mod vapid_check;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::SecretKey;
use rand::RngCore;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::vapid::random_secret_key;
use crate::{Subscription, Urgency};

/// RFC 8030 §7.2: push services take at least 4096 bytes of encrypted body.
const MAX_BODY_BYTES: usize = 4096;

/// A message that passed every check, decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedPush {
    pub endpoint: String,
    /// The decrypted payload.
    pub payload: Vec<u8>,
    pub ttl: Duration,
    /// `None` when no `Urgency` header was sent.
    pub urgency: Option<Urgency>,
    pub topic: Option<String>,
    /// The VAPID token's `sub`.
    pub subject: String,
    /// The VAPID public key (`k=`) it was signed with, base64url.
    pub vapid_key: String,
    pub received_at: SystemTime,
}

/// A message the service refused, and why: the test can assert on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedPush {
    pub endpoint: String,
    pub status: u16,
    pub reason: String,
    pub received_at: SystemTime,
}

/// How the service answers a subscription's valid messages (invalid ones always get 4xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// 201 Created, message recorded. The default.
    Normal,
    /// 410 Gone from now on: the user unsubscribed.
    Gone,
    /// This status from now on, e.g. 404 or 413.
    Status(u16),
    /// 503 with `Retry-After: retry_after_secs` for the next `times` messages, then normal.
    ServiceUnavailable { retry_after_secs: u64, times: u32 },
}

/// A local push service; stops when dropped.
pub struct TestPushService {
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

struct Shared {
    origin: String,
    expected_key: Mutex<Option<String>>,
    devices: Mutex<HashMap<String, Device>>,
    received: Mutex<Vec<ReceivedPush>>,
    failures: Mutex<Vec<FailedPush>>,
    arrived: Notify,
}

/// The browser side of one subscription.
struct Device {
    secret: SecretKey,
    auth: [u8; 16],
    response: Response,
    requests: u32,
}

impl TestPushService {
    /// Starts the service on a free port of 127.0.0.1.
    ///
    /// # Panics
    /// If no port can be bound.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the test push service");
        let address = listener.local_addr().expect("the test push service's address");
        let shared = Arc::new(Shared {
            origin: format!("http://{address}"),
            expected_key: Mutex::new(None),
            devices: Mutex::new(HashMap::new()),
            received: Mutex::new(Vec::new()),
            failures: Mutex::new(Vec::new()),
            arrived: Notify::new(),
        });
        let app = Router::new().route("/push/{id}", post(receive)).with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the test push service stopped");
        });
        Self { shared, server }
    }

    /// `http://127.0.0.1:port`: the VAPID audience of every subscription here.
    pub fn origin(&self) -> &str {
        &self.shared.origin
    }

    /// From now on, refuse (403) messages signed with any VAPID key but this one (base64url), as a
    /// push service does for a subscription made with `applicationServerKey` (RFC 8292 §4.2).
    pub fn expect_vapid_key(&self, public_key_base64url: &str) {
        *lock(&self.shared.expected_key) = Some(public_key_base64url.to_owned());
    }

    /// A new subscription, as a browser would get it: a fresh P-256 key pair and auth secret,
    /// and an endpoint on this service.
    pub fn subscribe(&self) -> Subscription {
        let secret = random_secret_key();
        let mut auth = [0u8; 16];
        let mut id = [0u8; 16];
        rand::rng().fill_bytes(&mut auth);
        rand::rng().fill_bytes(&mut id);
        let id = URL_SAFE_NO_PAD.encode(id);
        let subscription = Subscription::new(
            &format!("{}/push/{id}", self.shared.origin),
            &URL_SAFE_NO_PAD.encode(secret.public_key().to_sec1_bytes()),
            &URL_SAFE_NO_PAD.encode(auth),
        )
        .expect("the test push service makes valid subscriptions");
        let device = Device { secret, auth, response: Response::Normal, requests: 0 };
        lock(&self.shared.devices).insert(id, device);
        subscription
    }

    /// Scripts how the service answers this subscription's next messages.
    ///
    /// # Panics
    /// If the subscription is not one of this service's.
    pub fn respond_with(&self, subscription: &Subscription, response: Response) {
        let id = self.id_of(subscription);
        lock(&self.shared.devices).get_mut(&id).expect("a subscription of this service").response = response;
    }

    /// Every message received and decrypted so far, in order of arrival.
    pub fn received(&self) -> Vec<ReceivedPush> {
        lock(&self.shared.received).clone()
    }

    pub fn received_for(&self, subscription: &Subscription) -> Vec<ReceivedPush> {
        let received = lock(&self.shared.received);
        received.iter().filter(|push| push.endpoint == subscription.endpoint()).cloned().collect()
    }

    /// Every message refused for a bad token, header or body, in order of arrival.
    pub fn failures(&self) -> Vec<FailedPush> {
        lock(&self.shared.failures).clone()
    }

    /// How many requests this subscription's endpoint got, whatever the answer.
    pub fn requests_for(&self, subscription: &Subscription) -> u32 {
        let id = self.id_of(subscription);
        lock(&self.shared.devices).get(&id).map_or(0, |device| device.requests)
    }

    /// Waits until at least `count` messages were received, and returns them all.
    ///
    /// # Panics
    /// After `timeout`, saying how many arrived and which were refused.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<ReceivedPush> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before the check, so a message arriving in between still wakes us.
            let arrived = self.shared.arrived.notified();
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!(
                    "expected {count} push messages within {timeout:?}, received {}; refused: {:#?}",
                    received.len(),
                    self.failures()
                );
            }
        }
    }

    fn id_of(&self, subscription: &Subscription) -> String {
        let prefix = format!("{}/push/", self.shared.origin);
        subscription.endpoint().strip_prefix(&prefix).unwrap_or_default().to_owned()
    }
}

impl Drop for TestPushService {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let endpoint = format!("{}/push/{id}", shared.origin);
    let (secret, auth) = {
        let mut devices = lock(&shared.devices);
        let Some(device) = devices.get_mut(&id) else {
            return (StatusCode::NOT_FOUND, "no such subscription").into_response();
        };
        device.requests += 1;
        (device.secret.clone(), device.auth)
    };
    // Checked on a blocking thread: ECDSA and ECDH are CPU work, and the sender shares the runtime.
    let checked = {
        let shared = shared.clone();
        let endpoint = endpoint.clone();
        tokio::task::spawn_blocking(move || check(&shared, endpoint, &headers, &body, &secret, &auth))
            .await
            .expect("checking a push message")
    };
    let push = match checked {
        Ok(push) => push,
        Err((status, reason)) => {
            let failure = FailedPush {
                endpoint,
                status: status.as_u16(),
                reason: reason.clone(),
                received_at: SystemTime::now(),
            };
            lock(&shared.failures).push(failure);
            shared.arrived.notify_waiters();
            return (status, reason).into_response();
        }
    };
    // A valid message; the script decides whether it is taken.
    let scripted = {
        let mut devices = lock(&shared.devices);
        let device = devices.get_mut(&id).expect("devices are never removed");
        match device.response {
            Response::Normal => None,
            Response::Gone => Some((StatusCode::GONE, None)),
            Response::Status(code) => Some((StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT), None)),
            Response::ServiceUnavailable { retry_after_secs, times } => {
                device.response = match times {
                    0 | 1 => Response::Normal,
                    n => Response::ServiceUnavailable { retry_after_secs, times: n - 1 },
                };
                (times > 0).then_some((StatusCode::SERVICE_UNAVAILABLE, Some(retry_after_secs)))
            }
        }
    };
    match scripted {
        Some((status, Some(after))) => (status, [("Retry-After", after.to_string())], "scripted").into_response(),
        Some((status, None)) => (status, "scripted").into_response(),
        None => {
            lock(&shared.received).push(push);
            shared.arrived.notify_waiters();
            (StatusCode::CREATED, [("Location", format!("/message/{id}"))]).into_response()
        }
    }
}

/// Everything a push service and a browser check of one message, then the plaintext.
fn check(
    shared: &Shared,
    endpoint: String,
    headers: &HeaderMap,
    body: &[u8],
    secret: &SecretKey,
    auth: &[u8; 16],
) -> Result<ReceivedPush, (StatusCode, String)> {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or("<not ASCII>"));
    let bad = |why: String| (StatusCode::BAD_REQUEST, why);
    let now = SystemTime::now();
    let unix_now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());

    let vapid =
        vapid_check::verify(header("authorization"), &shared.origin, unix_now).map_err(|refusal| match refusal {
            vapid_check::Refusal::Missing(why) => (StatusCode::UNAUTHORIZED, why),
            vapid_check::Refusal::Invalid(why) => (StatusCode::FORBIDDEN, why),
        })?;
    if let Some(expected) = lock(&shared.expected_key).as_deref() {
        if vapid.key != expected {
            return Err((StatusCode::FORBIDDEN, format!("signed with VAPID key {}, expected {expected}", vapid.key)));
        }
    }

    let ttl = header("ttl").ok_or_else(|| bad("no TTL header".into()))?;
    let ttl = ttl.parse::<u64>().map_err(|_| bad(format!("TTL {ttl:?} is not whole seconds")))?;
    let urgency = header("urgency").map(str::parse::<Urgency>).transpose().map_err(bad)?;
    let topic = header("topic").map(str::to_owned);
    if let Some(topic) = &topic {
        if topic.len() > 32 || !topic.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(bad(format!("Topic {topic:?} is not at most 32 base64url characters")));
        }
    }
    if header("content-encoding") != Some("aes128gcm") {
        return Err(bad(format!("Content-Encoding is {:?}, not aes128gcm", header("content-encoding"))));
    }
    if body.len() > MAX_BODY_BYTES {
        return Err((StatusCode::PAYLOAD_TOO_LARGE, format!("body of {} bytes", body.len())));
    }
    let payload = decrypt::decrypt(body, secret, auth).map_err(|why| bad(format!("cannot decrypt: {why}")))?;
    Ok(ReceivedPush {
        endpoint,
        payload,
        ttl: Duration::from_secs(ttl),
        urgency,
        topic,
        subject: vapid.subject,
        vapid_key: vapid.key,
        received_at: now,
    })
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
