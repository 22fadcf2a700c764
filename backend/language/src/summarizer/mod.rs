//! The problem-card summarizer: a small GGUF chat model writes the card, a faithfulness
//! check vets it, and the extractive card stands in whenever the model's card fails.

pub(crate) mod backbone;
mod examples;
pub(crate) mod fields;
pub(crate) mod generate;
mod model;
mod parse;
mod prompt;
pub(crate) mod steer;
mod tokenizer;
mod vocab;

use std::path::Path;
use std::sync::Arc;

use coagent_domain::{CardSource, EngineError, Summarizer, Summary};

pub use generate::GenerationStats;
pub use model::ChatModel;
pub use parse::{finalize, parse_card, MalformedCard};

use crate::extractive::{extractive_card, key_sentences};
use crate::LanguageError;
use backbone::Backbone;
use generate::Decoder;
use steer::Steering;

/// Longest transcript the model reads, in tokens; a longer one gets the extractive card.
/// With the prompt's prefix and the card it stays well inside llama's 4096-token window.
pub const MAX_TRANSCRIPT_TOKENS: usize = 1536;

/// Writes problem cards with a local GGUF chat model (llama or qwen2 architecture).
pub struct CardSummarizer {
    model: Arc<ChatModel>,
    /// The model primed with `prefix`.
    backbone: Backbone,
    /// The shared start of every prompt; held in the backbone's cache when it can be.
    prefix: Vec<u32>,
    /// The tokens of the examples' cards, which the model should not borrow.
    example_tokens: Vec<u32>,
}

impl CardSummarizer {
    /// Loads a GGUF chat model on the CPU and runs the shared prompt prefix once.
    pub fn load(gguf_path: impl AsRef<Path>) -> Result<Self, LanguageError> {
        Self::new(ChatModel::load(gguf_path)?)
    }

    /// A summarizer on an already loaded model; runs the shared prompt prefix once.
    pub fn new(model: Arc<ChatModel>) -> Result<Self, LanguageError> {
        let prefix = model.encode(&prompt::prefix())?;
        let example_tokens = model.encode(&prompt::example_cards())?;
        let backbone = model.primed(&prefix, "card")?;
        Ok(Self { model, backbone, prefix, example_tokens })
    }

    /// The loaded model, to share with other tasks (the digest condenser).
    pub fn model(&self) -> &Arc<ChatModel> {
        &self.model
    }

    /// Like [`Summarizer::summarize`], also saying how long the model took.
    pub fn summarize_with_stats(
        &self,
        transcript: &str,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<(Summary, GenerationStats), LanguageError> {
        let transcript = transcript.trim();
        if !transcript.chars().any(char::is_alphanumeric) {
            return Err(LanguageError::InvalidInput("the transcript has no words".into()));
        }
        let length = self.model.encode(transcript)?.len();
        if length > MAX_TRANSCRIPT_TOKENS {
            let reason =
                format!("transcript of {length} tokens, longer than the model reads ({MAX_TRANSCRIPT_TOKENS})");
            let summary = Summary {
                card: extractive_card(transcript),
                source: CardSource::Extractive,
                fallback_reason: Some(reason),
            };
            return Ok((summary, GenerationStats::default()));
        }
        let (text, stats) = self.generate(transcript, on_token)?;
        tracing::debug!(card = %text, ?stats, "model card");
        Ok((finalize(&text, transcript), stats))
    }

    /// The model's raw card text for `transcript`, before any check: `Title: …` lines.
    pub fn generate(
        &self,
        transcript: &str,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<(String, GenerationStats), LanguageError> {
        let model = &*self.model;
        let transcript = transcript.trim();
        let suffix = model.encode(&prompt::suffix(transcript))?;
        let transcript_tokens = model.encode(transcript)?;
        let key = key_sentences(transcript);
        // With a leading space, as a sentence's first word appears inside the transcript.
        let ask_tokens = model.encode(&format!(" {}", key.ask))?;
        let problem_tokens = model.encode(&format!(" {}", key.problem))?;
        let steering = Steering::new(
            &model.vocabulary,
            steer::Sources {
                transcript: &transcript_tokens,
                problem: &problem_tokens,
                ask: &ask_tokens,
                examples: &self.example_tokens,
                line_breaks: model.vocabulary.line_breaks(),
            },
        );
        let decoder = Decoder {
            tokenizer: &model.tokenizer,
            vocabulary: &model.vocabulary,
            device: &model.device,
            steering,
            fields: &fields::FIELDS,
        };
        let (mut session, position) = self.backbone.session(self.prefix.len());
        let prompt = if position == 0 { [self.prefix.as_slice(), &suffix].concat() } else { suffix };
        decoder.decode(&mut session, &prompt, position, on_token)
    }
}

impl Summarizer for CardSummarizer {
    fn summarize(&self, transcript: &str, on_token: &mut dyn FnMut(&str)) -> Result<Summary, EngineError> {
        Ok(self.summarize_with_stats(transcript, on_token)?.0)
    }
}
