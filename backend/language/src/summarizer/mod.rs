//! The problem-card summarizer: a small GGUF chat model writes the card, a faithfulness
//! check vets it, and the extractive card stands in whenever the model's card fails.

mod backbone;
mod examples;
mod fields;
mod generate;
mod parse;
mod prompt;
mod steer;
mod tokenizer;
mod vocab;

use std::fs::File;
use std::path::Path;
use std::time::Instant;

use candle_core::quantized::gguf_file;
use candle_core::Device;
use coagent_domain::{CardSource, EngineError, Summarizer, Summary};
use tokenizers::Tokenizer;

pub use generate::GenerationStats;
pub use parse::{finalize, parse_card, MalformedCard};

use crate::extractive::{extractive_card, key_sentences};
use crate::LanguageError;
use backbone::Backbone;
use generate::Decoder;
use steer::Steering;
use vocab::Vocabulary;

/// Longest transcript the model reads, in tokens; a longer one gets the extractive card.
/// With the prompt's prefix and the card it stays well inside llama's 4096-token window.
pub const MAX_TRANSCRIPT_TOKENS: usize = 1536;

/// Writes problem cards with a local GGUF chat model (llama or qwen2 architecture).
pub struct CardSummarizer {
    backbone: Backbone,
    tokenizer: Tokenizer,
    vocabulary: Vocabulary,
    device: Device,
    /// The shared start of every prompt; held in the backbone's cache when it can be.
    prefix: Vec<u32>,
    /// The tokens of the examples' cards, which the model should not borrow.
    example_tokens: Vec<u32>,
}

impl CardSummarizer {
    /// Loads a GGUF chat model on the CPU and runs the shared prompt prefix once.
    pub fn load(gguf_path: impl AsRef<Path>) -> Result<Self, LanguageError> {
        let path = gguf_path.as_ref();
        let started = Instant::now();
        let mut file = File::open(path).map_err(|source| LanguageError::Io { path: path.to_path_buf(), source })?;
        let content = gguf_file::Content::read(&mut file)
            .map_err(|error| LanguageError::Malformed(format!("{} is not a GGUF file: {error}", path.display())))?;
        let tokenizer = tokenizer::from_gguf(&content)?;
        let vocabulary = Vocabulary::new(&tokenizer)?;
        let prefix = encode(&tokenizer, &prompt::prefix())?;
        let example_tokens = encode(&tokenizer, &prompt::example_cards())?;
        let device = Device::Cpu;
        let backbone = Backbone::load(content, &mut file, &device, &prefix)?;
        tracing::info!(
            path = %path.display(),
            prefix_tokens = prefix.len(),
            secs = started.elapsed().as_secs_f64(),
            "summarizer model loaded"
        );
        Ok(Self { backbone, tokenizer, vocabulary, device, prefix, example_tokens })
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
        let length = encode(&self.tokenizer, transcript)?.len();
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
        let transcript = transcript.trim();
        let suffix = encode(&self.tokenizer, &prompt::suffix(transcript))?;
        let transcript_tokens = encode(&self.tokenizer, transcript)?;
        let key = key_sentences(transcript);
        // With a leading space, as a sentence's first word appears inside the transcript.
        let ask_tokens = encode(&self.tokenizer, &format!(" {}", key.ask))?;
        let problem_tokens = encode(&self.tokenizer, &format!(" {}", key.problem))?;
        let steering = Steering::new(
            &self.vocabulary,
            steer::Sources {
                transcript: &transcript_tokens,
                problem: &problem_tokens,
                ask: &ask_tokens,
                examples: &self.example_tokens,
                line_breaks: self.vocabulary.line_breaks(),
            },
        );
        let decoder =
            Decoder { tokenizer: &self.tokenizer, vocabulary: &self.vocabulary, device: &self.device, steering };
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

fn encode(tokenizer: &Tokenizer, text: &str) -> Result<Vec<u32>, LanguageError> {
    Ok(tokenizer.encode(text, false)?.get_ids().to_vec())
}
