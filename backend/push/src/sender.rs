//! Sends one encrypted, VAPID-signed message to one subscription and says what came of it.
//! `web-push` encrypts (aes128gcm) and signs; the HTTP request is ours, made with reqwest.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use web_push::{
    ContentEncoding, PartialVapidSignatureBuilder, SubscriptionInfo, VapidSignature, VapidSignatureBuilder,
    WebPushMessageBuilder,
};

use crate::message::classify;
use crate::{Delivery, PushError, SendOptions, Subscription, VapidKeys, MAX_PAYLOAD_BYTES};

/// A VAPID token is signed for 12 h (web-push's default); one is reused per push service for an
/// hour, so a fan-out signs once per origin instead of once per message.
const SIGNATURE_REUSE: Duration = Duration::from_secs(3600);
/// The push service's error text kept for logs, at most.
const MAX_MESSAGE_BYTES: usize = 1024;

/// Sends Web Push messages signed with the server's VAPID key. Cheap to clone.
#[derive(Clone)]
pub struct PushSender {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    signer: PartialVapidSignatureBuilder,
    subject: String,
    public_key: String,
    /// Origin → (token, when signed).
    signatures: Mutex<HashMap<String, (VapidSignature, Instant)>>,
}

impl PushSender {
    /// `subject` is the contact the push service can reach the operator at: `mailto:…` or `https://…`.
    pub fn new(keys: &VapidKeys, subject: impl Into<String>) -> Result<Self, PushError> {
        let subject = subject.into();
        if !(subject.starts_with("mailto:") && subject.len() > 7
            || subject.starts_with("https://") && subject.len() > 8)
        {
            return Err(PushError::InvalidSubject(subject));
        }
        let signer = VapidSignatureBuilder::from_base64_no_sub(&keys.private_key_base64url())
            .map_err(|e| PushError::Encryption(format!("web-push refused the VAPID key: {e}")))?;
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            // A push service answers; it does not redirect. Following one would leak the token.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(PushError::HttpClient)?;
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                signer,
                subject,
                public_key: keys.public_key_base64url().to_owned(),
                signatures: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// Encrypts `payload` for `subscription` and posts it to its push service.
    ///
    /// `Err` means nothing was sent and retrying will not help (payload over
    /// [`MAX_PAYLOAD_BYTES`], bad topic); otherwise the [`Delivery`] says what the push service
    /// answered, network failures being [`Delivery::Retry`].
    #[tracing::instrument(skip_all, fields(origin = %subscription.origin(), bytes = payload.len()))]
    pub async fn send(
        &self,
        subscription: &Subscription,
        payload: &[u8],
        options: &SendOptions,
    ) -> Result<Delivery, PushError> {
        if payload.len() > MAX_PAYLOAD_BYTES {
            return Err(PushError::PayloadTooLarge { size: payload.len(), max: MAX_PAYLOAD_BYTES });
        }
        if let Some(topic) = &options.topic {
            let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
            if topic.is_empty() || topic.len() > 32 || !topic.chars().all(base64url) {
                return Err(PushError::InvalidTopic(topic.clone()));
            }
        }
        let info = SubscriptionInfo::new(subscription.endpoint(), subscription.p256dh(), subscription.auth());
        let mut message = WebPushMessageBuilder::new(&info);
        message.set_payload(ContentEncoding::Aes128Gcm, payload);
        message.set_vapid_signature(self.signature_for(subscription, &info)?);
        let body = message
            .build()
            .map_err(|e| PushError::Encryption(e.to_string()))?
            .payload
            .ok_or_else(|| PushError::Encryption("web-push built a message without a body".into()))?;

        let ttl = options.ttl.as_secs().min(u64::from(u32::MAX));
        let mut request = self
            .inner
            .client
            .post(subscription.endpoint())
            .header("TTL", ttl)
            .header("Urgency", options.urgency.as_str())
            .header("Content-Encoding", body.content_encoding.to_str())
            .header("Content-Type", "application/octet-stream");
        if let Some(topic) = &options.topic {
            request = request.header("Topic", topic);
        }
        // The `Authorization: vapid t=…, k=…` header.
        for (name, value) in body.crypto_headers {
            request = request.header(name, value);
        }

        let mut response = match request.body(body.content).send().await {
            Ok(response) => response,
            Err(e) => {
                let reason = error_chain(&e);
                tracing::warn!(%reason, "push service unreachable");
                return Ok(Delivery::Retry { after: None, reason });
            }
        };
        let status = response.status();
        let retry_after = response.headers().get("Retry-After").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut text = Vec::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            text.extend_from_slice(&chunk);
            if text.len() >= MAX_MESSAGE_BYTES {
                break;
            }
        }
        text.truncate(MAX_MESSAGE_BYTES);
        let mut message = String::from_utf8_lossy(&text).trim().to_owned();
        if message.is_empty() {
            message = status.canonical_reason().unwrap_or("no reason given").to_owned();
        }
        let delivery = classify(status.as_u16(), retry_after.as_deref(), message, SystemTime::now());
        match &delivery {
            Delivery::Delivered => tracing::debug!(status = status.as_u16(), "push accepted"),
            Delivery::Gone => tracing::info!(status = status.as_u16(), "push subscription gone"),
            other => tracing::warn!(status = status.as_u16(), answer = ?other, "push not accepted"),
        }
        Ok(delivery)
    }

    /// A VAPID token for the subscription's push service, reused while fresh.
    fn signature_for(&self, subscription: &Subscription, info: &SubscriptionInfo) -> Result<VapidSignature, PushError> {
        let origin = subscription.origin();
        let mut cache = self.inner.signatures.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((signature, signed)) = cache.get(&origin) {
            if signed.elapsed() < SIGNATURE_REUSE {
                return Ok(signature.clone());
            }
        }
        let mut builder = self.inner.signer.clone().add_sub_info(info);
        // RFC 8292 §2: `aud` is the origin, port included; web-push's default drops the port.
        builder.add_claim("aud", origin.as_str());
        builder.add_claim("sub", self.inner.subject.as_str());
        let signature =
            builder.build().map_err(|e| PushError::Encryption(format!("cannot sign the VAPID token: {e}")))?;
        cache.insert(origin, (signature.clone(), Instant::now()));
        Ok(signature)
    }
}

impl fmt::Debug for PushSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushSender")
            .field("subject", &self.inner.subject)
            .field("public_key", &self.inner.public_key)
            .finish_non_exhaustive()
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
