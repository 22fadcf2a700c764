//! Local language models with candle: the problem-card summarizer and the answer digest (one
//! small GGUF chat model, held to its source by a faithfulness check with an extractive
//! fallback) and the sentence embedder (a BERT model) used for matching.

mod digest;
mod embedder;
mod error;
pub mod extractive;
pub mod faithfulness;
mod numbers;
mod summarizer;
mod text;

pub use digest::{finalize_point, DigestCondenser, MAX_ANSWER_TOKENS};
pub use embedder::SentenceEmbedder;
pub use error::LanguageError;
pub use summarizer::{
    finalize, parse_card, CardSummarizer, ChatModel, GenerationStats, MalformedCard, MAX_TRANSCRIPT_TOKENS,
};
