//! Web Push (RFC 8030) for coagent: the server's VAPID key pair (RFC 8292), validated browser
//! subscriptions, encrypting (RFC 8291, via the `web-push` crate) and sending a teaser, and
//! classifying the push service's answer so the durable outbox (in the store crate) knows whether
//! to retry, drop the subscription or give up. No database here.
//!
//! With the `test-service` feature, [`testing::TestPushService`] is a local push service that
//! verifies VAPID and decrypts every message independently of `web-push`, for tests of any crate.

mod error;
mod message;
mod sender;
mod subscription;
mod vapid;

#[cfg(feature = "test-service")]
pub mod testing;

pub use error::PushError;
pub use message::{backoff, Delivery, SendOptions, Urgency, MAX_PAYLOAD_BYTES};
pub use sender::PushSender;
pub use subscription::{Subscription, SubscriptionError};
pub use vapid::VapidKeys;
