//! Speech to text with whisper.cpp through whisper-rs: the only crate that compiles
//! whisper.cpp. One loaded model ([`WhisperEngine`]) is shared by any number of one-shot
//! transcriptions and streaming sessions ([`StreamingTranscriber`]).

mod engine;
mod streaming;
pub mod wer;
mod words;

pub use engine::{EngineOptions, SpeechError, WhisperEngine};
pub use streaming::{Partial, StreamingConfig, StreamingTranscriber, WhisperStreaming};
