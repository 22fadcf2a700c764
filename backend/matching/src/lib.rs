//! Who to ask for help, and why: scores every member against a confirmed ask (relevance ×
//! availability × bridging), sends it out in waves until someone answers, and finds similar
//! earlier asks. Pure code: no I/O, no clock (the caller passes `now`), no randomness, so the
//! same state always gives the same answer.

mod peer;
mod policy;
mod rank;
mod score;
mod similarity;
mod wave;

#[cfg(test)]
mod fixtures;

pub use chrono_tz::Tz;
pub use peer::{AskToMatch, PastAnswer, Peer, QuietHours, Rating};
pub use policy::{AvailabilityWeights, BridgingWeights, Policy, RelevanceWeights};
pub use rank::{rank, Excluded, Exclusion, Ranked, Ranking};
pub use score::{Evidence, Reasons};
pub use similarity::{cosine, similar_asks, PastAsk, SimilarAsk};
pub use wave::{next_wave, Asked, Finished, Reply, Wave};
