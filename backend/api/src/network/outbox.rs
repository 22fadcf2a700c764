//! The push outbox: one durable job per (notification, device). Its unique key is what stops a
//! duplicate notification for the same (ask, peer), even when routing runs twice; a sent push
//! is marked done at once, so a restart resends at most the one in flight (and the service
//! worker's notification tag folds that into the same notification).

use coagent_push::{backoff, Delivery, SendOptions, Subscription, Urgency};
use coagent_store::{Ask, Job, MemberId, StoreError, StoredDigest, SubscriptionId, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::runner::{enqueue_once, Outcome, PUSH};
use crate::error::ApiError;
use crate::state::AppState;

/// Give up on a device after this many tries (about a day with the back-off).
const MAX_ATTEMPTS: u32 = 12;

/// What a notification says: a teaser only, never the problem's text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Teaser {
    pub kind: String,
    pub ask_id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asker: Option<String>,
    pub url: String,
    /// Which notification this is: each version of a digest, and each send by a concierge, is
    /// a new notification; the same one queued twice is sent once.
    #[serde(skip)]
    pub version: u64,
}

impl Teaser {
    /// A peer is asked to help.
    pub fn request(ask: &Ask, asker_name: &str) -> Teaser {
        Teaser {
            kind: "request".into(),
            ask_id: ask.id.to_string(),
            title: title_of(ask),
            asker: Some(asker_name.to_owned()),
            url: format!("/#/requests/{}", ask.id),
            version: 0,
        }
    }

    /// The asker's digest is ready, or has changed; `edition` tells the versions apart.
    pub fn digest(ask: &Ask, edition: u64) -> Teaser {
        Teaser {
            kind: "digest".into(),
            ask_id: ask.id.to_string(),
            title: title_of(ask),
            asker: None,
            url: format!("/#/asks/{}", ask.id),
            version: edition,
        }
    }
}

fn title_of(ask: &Ask) -> String {
    let title = ask.card.as_ref().map(|card| card.card.title.as_str()).unwrap_or("a question");
    // Titles are short already; the cap keeps any payload far under the 3 KB limit.
    title.chars().take(120).collect()
}

/// Tells a peer they are asked to help with `ask`.
pub async fn notify_request(state: &AppState, ask: &Ask, peer: MemberId, at: Timestamp) -> Result<(), ApiError> {
    let asker = state.store.get_member(ask.member_id).await?;
    notify(state, peer, &Teaser::request(ask, &asker.name), at).await
}

/// Tells the asker their digest is ready (or changed) and records when. `edition` names this
/// notification: the digest's save time when the job sends it, the moment of sending when a
/// concierge does (each of their sends goes out).
pub async fn send_digest(state: &AppState, ask: &Ask, edition: u64, now: Timestamp) -> Result<StoredDigest, ApiError> {
    notify(state, ask.member_id, &Teaser::digest(ask, edition), now).await?;
    Ok(state.store.mark_digest_sent(ask.id, now).await?)
}

/// Queues the teaser for every device of `member`, due at `at`.
pub async fn notify(state: &AppState, member: MemberId, teaser: &Teaser, at: Timestamp) -> Result<(), ApiError> {
    for subscription in state.store.subscriptions_of(member).await? {
        let key = format!("push:{}:{}:{}:{}", teaser.kind, teaser.ask_id, teaser.version, subscription.id);
        let payload = json!({ "subscription_id": subscription.id, "teaser": teaser });
        enqueue_once(state, PUSH, &payload, at, &key).await?;
    }
    Ok(())
}

/// Sends one queued notification and files the push service's answer.
pub async fn deliver(state: &AppState, job: &Job, now: Timestamp) -> Result<Outcome, ApiError> {
    let subscription_id: SubscriptionId = job.payload["subscription_id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| ApiError::internal(std::io::Error::other("push job names no subscription")))?;
    let record = match state.store.get_subscription(subscription_id).await {
        Ok(record) => record,
        Err(StoreError::NotFound) => return Ok(Outcome::Done), // unsubscribed since
        Err(other) => return Err(other.into()),
    };
    let subscription = match Subscription::new(&record.endpoint, &record.p256dh, &record.auth) {
        Ok(subscription) => subscription,
        Err(error) => return Ok(Outcome::Failed(format!("the stored subscription is unusable: {error}"))),
    };
    let teaser = &job.payload["teaser"];
    let urgency = if teaser["kind"] == "request" { Urgency::High } else { Urgency::Normal };
    let options = SendOptions { urgency, ..SendOptions::default() };
    let body = teaser.to_string();
    let delivery = match state.push.sender.send(&subscription, body.as_bytes(), &options).await {
        Ok(delivery) => delivery,
        Err(error) => return Ok(Outcome::Failed(format!("the notification cannot be sent: {error}"))),
    };
    state.metrics.record_push(&delivery);
    Ok(match delivery {
        Delivery::Delivered => Outcome::Done,
        Delivery::Gone => {
            tracing::info!(subscription = %record.id, "the push service says this device is gone; forgetting it");
            state.store.delete_subscription(record.id).await?;
            Outcome::Done
        }
        Delivery::Retry { after, reason } if job.attempts < MAX_ATTEMPTS => {
            Outcome::RetryAt(now + backoff(job.attempts.saturating_sub(1), after), reason)
        }
        Delivery::Retry { reason, .. } => Outcome::Failed(format!("gave up after {} tries: {reason}", job.attempts)),
        Delivery::Rejected { status, message } => {
            Outcome::Failed(format!("the push service refused the message ({status}): {message}"))
        }
    })
}
