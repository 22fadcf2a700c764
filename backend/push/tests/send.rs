//! End to end against the test push service: what `PushSender` sends is verified (VAPID) and
//! decrypted (RFC 8291) by code independent of the `web-push` crate that produced it.

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use p256::pkcs8::DecodePrivateKey;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use coagent_push::testing::{Response, TestPushService};
use coagent_push::{Delivery, PushError, PushSender, SendOptions, Subscription, Urgency, VapidKeys, MAX_PAYLOAD_BYTES};

const WAIT: Duration = Duration::from_secs(10);

struct Setup {
    service: TestPushService,
    keys: VapidKeys,
    sender: PushSender,
}

async fn setup() -> Setup {
    let service = TestPushService::start().await;
    let keys = VapidKeys::generate();
    service.expect_vapid_key(keys.public_key_base64url());
    let sender = PushSender::new(&keys, "mailto:concierge@example.com").unwrap();
    Setup { service, keys, sender }
}

fn teaser() -> &'static [u8] {
    br#"{"kind":"ask","ask_id":"0b7e","title":"A peer needs your help"}"#
}

#[tokio::test]
async fn a_sent_message_is_verified_and_decrypted_to_what_was_sent() {
    let Setup { service, keys, sender } = setup().await;
    let subscription = service.subscribe();

    let delivery = sender.send(&subscription, teaser(), &SendOptions::default()).await.unwrap();

    assert_eq!(delivery, Delivery::Delivered);
    let received = service.wait_for(1, WAIT).await;
    assert_eq!(received[0].payload, teaser());
    assert_eq!(received[0].endpoint, subscription.endpoint());
    assert_eq!(received[0].vapid_key, keys.public_key_base64url());
    assert_eq!(received[0].subject, "mailto:concierge@example.com");
    assert!(service.failures().is_empty());
}

#[tokio::test]
async fn ttl_urgency_and_topic_arrive_as_headers() {
    let Setup { service, sender, .. } = setup().await;
    let subscription = service.subscribe();
    let options = SendOptions { ttl: Duration::from_secs(600), urgency: Urgency::High, topic: Some("ask-0b7e".into()) };

    let delivery = sender.send(&subscription, teaser(), &options).await.unwrap();

    assert_eq!(delivery, Delivery::Delivered);
    let received = service.received_for(&subscription);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].ttl, Duration::from_secs(600));
    assert_eq!(received[0].urgency, Some(Urgency::High));
    assert_eq!(received[0].topic.as_deref(), Some("ask-0b7e"));
}

#[tokio::test]
async fn messages_to_several_subscriptions_each_decrypt_with_their_own_keys() {
    let Setup { service, sender, .. } = setup().await;
    let first = service.subscribe();
    let second = service.subscribe();

    for (subscription, text) in [(&first, "to first"), (&second, "to second"), (&first, "again")] {
        let delivery = sender.send(subscription, text.as_bytes(), &SendOptions::default()).await.unwrap();
        assert_eq!(delivery, Delivery::Delivered);
    }

    let payloads = |s| service.received_for(s).into_iter().map(|p| p.payload).collect::<Vec<_>>();
    assert_eq!(payloads(&first), [b"to first".to_vec(), b"again".to_vec()]);
    assert_eq!(payloads(&second), [b"to second".to_vec()]);
}

#[tokio::test]
async fn a_gone_subscription_is_reported_gone() {
    let Setup { service, sender, .. } = setup().await;
    let subscription = service.subscribe();
    service.respond_with(&subscription, Response::Gone);

    let delivery = sender.send(&subscription, teaser(), &SendOptions::default()).await.unwrap();

    assert_eq!(delivery, Delivery::Gone);
    assert!(service.received().is_empty());
}

#[tokio::test]
async fn a_not_found_subscription_is_reported_gone() {
    let Setup { service, sender, .. } = setup().await;
    let subscription = service.subscribe();
    service.respond_with(&subscription, Response::Status(404));
    let unknown = Subscription::new(
        &format!("{}/push/never-subscribed", service.origin()),
        subscription.p256dh(),
        subscription.auth(),
    )
    .unwrap();

    for subscription in [&subscription, &unknown] {
        let delivery = sender.send(subscription, teaser(), &SendOptions::default()).await.unwrap();
        assert_eq!(delivery, Delivery::Gone, "{subscription:?}");
    }
}

#[tokio::test]
async fn a_busy_service_says_when_to_retry_and_then_takes_the_message() {
    let Setup { service, sender, .. } = setup().await;
    let subscription = service.subscribe();
    service.respond_with(&subscription, Response::ServiceUnavailable { retry_after_secs: 7, times: 1 });

    let first = sender.send(&subscription, teaser(), &SendOptions::default()).await.unwrap();
    let Delivery::Retry { after, .. } = first else { panic!("expected Retry, got {first:?}") };
    assert_eq!(after, Some(Duration::from_secs(7)));
    assert_eq!(coagent_push::backoff(0, after), Duration::from_secs(7));
    assert!(service.received().is_empty());

    let second = sender.send(&subscription, teaser(), &SendOptions::default()).await.unwrap();
    assert_eq!(second, Delivery::Delivered);
    assert_eq!(service.received_for(&subscription)[0].payload, teaser());
    assert_eq!(service.requests_for(&subscription), 2);
}

#[tokio::test]
async fn a_message_signed_with_another_vapid_key_is_rejected() {
    let Setup { service, .. } = setup().await;
    let subscription = service.subscribe();
    let stranger = PushSender::new(&VapidKeys::generate(), "https://coagent.example.com").unwrap();

    let delivery = stranger.send(&subscription, teaser(), &SendOptions::default()).await.unwrap();

    let Delivery::Rejected { status, message } = delivery else { panic!("expected Rejected, got {delivery:?}") };
    assert_eq!(status, 403);
    assert!(message.contains("expected"), "{message}");
    let failures = service.failures();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].status, 403);
    assert!(service.received().is_empty());
}

#[tokio::test]
async fn a_payload_over_the_limit_is_refused_before_sending() {
    let Setup { service, sender, .. } = setup().await;
    let subscription = service.subscribe();
    let payload = vec![b'x'; MAX_PAYLOAD_BYTES + 1];

    let err = sender.send(&subscription, &payload, &SendOptions::default()).await.unwrap_err();

    let PushError::PayloadTooLarge { size, max } = &err else { panic!("expected PayloadTooLarge, got {err}") };
    assert_eq!((*size, *max), (MAX_PAYLOAD_BYTES + 1, MAX_PAYLOAD_BYTES));
    assert!(err.to_string().contains("teaser"), "{err}");
    assert_eq!(service.requests_for(&subscription), 0);

    // The limit itself goes through.
    let at_limit = vec![b'x'; MAX_PAYLOAD_BYTES];
    let delivery = sender.send(&subscription, &at_limit, &SendOptions::default()).await.unwrap();
    assert_eq!(delivery, Delivery::Delivered);
    assert_eq!(service.received()[0].payload, at_limit);
}

#[tokio::test]
async fn an_invalid_topic_is_refused_before_sending() {
    let Setup { service, sender, .. } = setup().await;
    let subscription = service.subscribe();
    let options = SendOptions { topic: Some("not a topic!".into()), ..SendOptions::default() };

    let err = sender.send(&subscription, teaser(), &options).await.unwrap_err();

    assert!(matches!(err, PushError::InvalidTopic(_)), "{err}");
    assert_eq!(service.requests_for(&subscription), 0);
}

#[tokio::test]
async fn an_unreachable_push_service_means_retry() {
    let Setup { service, sender, .. } = setup().await;
    let subscription = service.subscribe();
    drop(service);
    tokio::time::sleep(Duration::from_millis(50)).await;

    let delivery = sender.send(&subscription, teaser(), &SendOptions::default()).await.unwrap();

    assert!(matches!(delivery, Delivery::Retry { after: None, .. }), "{delivery:?}");
}

#[test]
fn a_subject_that_is_not_mailto_or_https_is_refused() {
    let keys = VapidKeys::generate();
    for subject in ["concierge@example.com", "http://coagent.example.com", "mailto:", ""] {
        let err = PushSender::new(&keys, subject).unwrap_err();
        assert!(matches!(err, PushError::InvalidSubject(_)), "{subject}: {err}");
    }
}

#[test]
fn the_vapid_key_file_is_private_and_kept_across_starts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vapid_private.pem");

    let first = VapidKeys::load_or_create(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    let second = VapidKeys::load_or_create(&path).unwrap();

    assert_eq!(mode, 0o600);
    assert_eq!(first.public_key_base64url(), second.public_key_base64url());
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("-----BEGIN PRIVATE KEY-----"));
}

#[test]
fn debug_output_does_not_show_the_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vapid_private.pem");
    let keys = VapidKeys::load_or_create(&path).unwrap();
    let pem = std::fs::read_to_string(&path).unwrap();
    let sender = PushSender::new(&keys, "mailto:concierge@example.com").unwrap();

    let shown = format!("{keys:?} {keys:#?} {sender:?}");

    let scalar = p256::SecretKey::from_pkcs8_pem(&pem).unwrap().to_bytes();
    assert!(shown.contains(keys.public_key_base64url()));
    assert!(shown.contains("redacted"));
    for encoding in [URL_SAFE_NO_PAD.encode(scalar), STANDARD.encode(scalar), format!("{scalar:x}")] {
        assert!(!shown.contains(&encoding[..16]), "{shown}");
    }
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!shown.contains(line), "{shown}");
    }
}
