//! The network half: who to ask (matching), reaching them (the push outbox), and condensing
//! their answers (the digest). All of it runs as durable jobs, so a crash or restart loses
//! nothing: the API only queues work, the job runner does it.

mod clock;
mod digest;
mod outbox;
mod population;
mod ranking;
mod retention;
mod routing;
mod runner;

pub use runner::JobRunner;

pub(crate) use outbox::{notify_request, send_digest};
pub(crate) use ranking::full_ranking;
pub(crate) use retention::audio_gone;
pub(crate) use routing::{card_text, embed_one};
pub(crate) use runner::{queue_digest, queue_routing};
