use crate::{Summary, Transcript};

/// Why an engine could not do its work.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The input can never succeed (empty text, audio in the wrong format...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The engine's bounded queue is full; try again later.
    #[error("the engine is busy, try again shortly")]
    Busy,
    /// The model failed while running.
    #[error("inference failed: {0}")]
    Inference(String),
}

/// Speech to text over 16 kHz mono f32 samples in [-1, 1].
pub trait SpeechToText: Send + Sync {
    fn transcribe(&self, samples_16k_mono: &[f32]) -> Result<Transcript, EngineError>;
}

/// Turns a transcript into a problem card, calling `on_token` with each generated piece of
/// text as it is produced so callers can stream it.
pub trait Summarizer: Send + Sync {
    fn summarize(&self, transcript: &str, on_token: &mut dyn FnMut(&str)) -> Result<Summary, EngineError>;
}

/// Sentence embeddings: one L2-normalised vector per input text.
pub trait Embedder: Send + Sync {
    fn dimension(&self) -> usize;
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EngineError>;
}
