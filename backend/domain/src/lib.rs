//! Pure types shared by every crate: transcripts, problem cards, answer digests and the engine traits
//! (ports) that the speech and language crates implement. No I/O, no model code.

mod card;
mod digest;
mod engines;
mod transcript;

pub use card::{CardSource, ProblemCard, Summary};
pub use digest::{AnswerToCondense, Digest, DigestPoint};
pub use engines::{
    DigestWriter, Embedder, EngineError, PartialTranscript, SpeechStream, SpeechToText, StreamingSpeech, Summarizer,
};
pub use transcript::{Segment, Transcript};
