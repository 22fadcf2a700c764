//! Fan-out throughput: teasers sent by `PushSender` to many subscriptions of the local test push
//! service, a bounded number in flight, each one VAPID-verified and decrypted by the service in
//! the same process. Prints a Markdown table row.
//!
//! `cargo bench -p coagent-push --bench fanout` (PUSH_BENCH_MESSAGES, PUSH_BENCH_SUBSCRIPTIONS,
//! PUSH_BENCH_IN_FLIGHT override the defaults 1000, 200, 32).

use std::time::{Duration, Instant};

use coagent_push::testing::TestPushService;
use coagent_push::{Delivery, PushSender, SendOptions, Urgency, VapidKeys};
use futures_util::stream::{self, StreamExt};

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let messages = setting("PUSH_BENCH_MESSAGES", 1000);
    let subscriptions = setting("PUSH_BENCH_SUBSCRIPTIONS", 200);
    let in_flight = setting("PUSH_BENCH_IN_FLIGHT", 32);

    let service = TestPushService::start().await;
    let keys = VapidKeys::generate();
    service.expect_vapid_key(keys.public_key_base64url());
    let sender = PushSender::new(&keys, "mailto:bench@example.com").unwrap();
    let targets: Vec<_> = (0..subscriptions).map(|_| service.subscribe()).collect();
    let options = SendOptions { ttl: Duration::from_secs(3600), urgency: Urgency::Normal, topic: None };
    let teaser = |i: usize| format!(r#"{{"kind":"ask","ask_id":"{i:08}","title":"A peer needs your help"}}"#);

    // Warm-up: connections opened, VAPID token signed and cached.
    for target in targets.iter().take(in_flight) {
        assert_eq!(sender.send(target, b"warm-up", &options).await.unwrap(), Delivery::Delivered);
    }
    let warm = service.received().len();

    let started = Instant::now();
    let deliveries: Vec<Delivery> = stream::iter(0..messages)
        .map(|i| {
            let (sender, target, options, payload) = (&sender, &targets[i % subscriptions], &options, teaser(i));
            async move { sender.send(target, payload.as_bytes(), options).await.unwrap() }
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    let elapsed = started.elapsed();

    let delivered = deliveries.iter().filter(|d| **d == Delivery::Delivered).count();
    assert_eq!(delivered, messages, "not all delivered: {:?}", deliveries.iter().find(|d| **d != Delivery::Delivered));
    let received = service.wait_for(warm + messages, Duration::from_secs(10)).await;
    assert!(service.failures().is_empty(), "{:?}", service.failures());
    assert_eq!(received.len(), warm + messages);

    let threads = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("| messages | subscriptions | in flight | CPU threads | seconds | delivered/s |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {messages} | {subscriptions} | {in_flight} | {threads} | {:.2} | {:.0} |",
        elapsed.as_secs_f64(),
        messages as f64 / elapsed.as_secs_f64()
    );
}
