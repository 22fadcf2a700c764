use crate::{AnswerToCondense, Digest, Summary, Transcript};

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

/// Text shown while someone is still speaking: `committed` never changes once sent,
/// `tentative` may still be revised by the next pass.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartialTranscript {
    pub committed: String,
    pub tentative: String,
}

/// Starts live transcriptions that share one loaded model.
pub trait StreamingSpeech: Send + Sync {
    fn start(&self) -> Box<dyn SpeechStream>;
}

/// One live transcription: audio in as it arrives, partial text out, full transcript at the end.
/// Calls block while the model runs; callers keep them off the async executor.
pub trait SpeechStream: Send {
    /// Adds 16 kHz mono samples; returns new partial text when a decoding pass ran.
    fn push(&mut self, samples_16k_mono: &[f32]) -> Result<Option<PartialTranscript>, EngineError>;
    /// Decodes what is left and returns the whole transcript.
    fn finish(self: Box<Self>) -> Result<Transcript, EngineError>;
}

/// Turns a transcript into a problem card, calling `on_token` with each generated piece of
/// text as it is produced so callers can stream it.
pub trait Summarizer: Send + Sync {
    fn summarize(&self, transcript: &str, on_token: &mut dyn FnMut(&str)) -> Result<Summary, EngineError>;
}

/// Condenses the answers to one ask into a digest: each answer's point in a sentence,
/// attributed to its author, in the answers' order. `card_title` and `help_needed` are the
/// confirmed card's, so that each point can say what it answers.
pub trait DigestWriter: Send + Sync {
    fn condense(
        &self,
        card_title: &str,
        help_needed: &str,
        answers: &[AnswerToCondense],
    ) -> Result<Digest, EngineError>;
}

/// Sentence embeddings: one L2-normalised vector per input text.
pub trait Embedder: Send + Sync {
    fn dimension(&self) -> usize;
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EngineError>;
}
