//! Local language models with candle: the problem-card summarizer (a small GGUF chat model,
//! held to the transcript by a faithfulness check with an extractive fallback) and the
//! sentence embedder (a BERT model) used for matching.

mod embedder;
mod error;
pub mod extractive;
pub mod faithfulness;
mod numbers;
mod summarizer;
mod text;

pub use embedder::SentenceEmbedder;
pub use error::LanguageError;
pub use summarizer::{finalize, parse_card, CardSummarizer, GenerationStats, MalformedCard, MAX_TRANSCRIPT_TOKENS};
