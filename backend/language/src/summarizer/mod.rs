//! The problem-card summarizer: a small GGUF chat model writes the card, a faithfulness
//! check vets it, and the extractive card stands in whenever the model's card fails.

mod backbone;
mod generate;
mod parse;
mod prompt;
mod tokenizer;
mod vocab;

use std::fs::File;
use std::path::Path;

use candle_core::quantized::gguf_file;
use candle_core::Device;
use coagent_domain::{EngineError, Summarizer, Summary};
use tokenizers::Tokenizer;

pub use generate::GenerationStats;
pub use parse::{finalize, parse_card, MalformedCard};

use crate::LanguageError;
use backbone::Backbone;
use generate::Decoder;
use vocab::Vocabulary;

/// Writes problem cards with a local GGUF chat model (llama or qwen2 architecture).
pub struct CardSummarizer {
    backbone: Backbone,
    tokenizer: Tokenizer,
    device: Device,
    /// The shared start of every prompt; held in the backbone's cache when it can be.
    prefix: Vec<u32>,
    vocabulary: Vocabulary,
}

impl CardSummarizer {
    /// Loads a GGUF chat model on the CPU.
    pub fn load(gguf_path: impl AsRef<Path>) -> Result<Self, LanguageError> {
        let path = gguf_path.as_ref();
        let io_error = |source| LanguageError::Io { path: path.to_path_buf(), source };
        let mut file = File::open(path).map_err(io_error)?;
        let content = gguf_file::Content::read(&mut file).map_err(|error| {
            LanguageError::Malformed(format!("{} is not a GGUF file: {error}", path.display()))
        })?;
        let tokenizer = tokenizer::from_gguf(&content)?;
        let vocabulary = Vocabulary::new(&tokenizer)?;
        let prefix = tokenizer.encode(prompt::prefix(), false)?.get_ids().to_vec();
        let device = Device::Cpu;
        let started = std::time::Instant::now();
        let backbone = Backbone::load(content, &mut file, &device, &prefix)?;
        tracing::info!(
            path = %path.display(),
            prefix_tokens = prefix.len(),
            secs = started.elapsed().as_secs_f64(),
            "summarizer model loaded"
        );
        Ok(Self { backbone, tokenizer, device, prefix, vocabulary })
    }

    /// Like [`Summarizer::summarize`], also saying how long the model took.
    pub fn summarize_with_stats(
        &self,
        transcript: &str,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<(Summary, GenerationStats), LanguageError> {
        let transcript = transcript.trim();
        if transcript.is_empty() {
            return Err(LanguageError::InvalidInput("the transcript is empty".into()));
        }
        let (text, stats) = self.generate(transcript, on_token)?;
        tracing::debug!(card = %text, ?stats, "model card");
        Ok((finalize(&text, transcript), stats))
    }

    /// The model's raw card text for `transcript`, before any check.
    pub fn generate(
        &self,
        transcript: &str,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<(String, GenerationStats), LanguageError> {
        let suffix = self.tokenizer.encode(prompt::suffix(transcript), false)?.get_ids().to_vec();
        let transcript_tokens = self.tokenizer.encode(transcript, false)?.get_ids().to_vec();
        let (mut session, position) = self.backbone.session(self.prefix.len())?;
        let prompt = if position == 0 { [self.prefix.as_slice(), &suffix].concat() } else { suffix };
        let decoder = Decoder {
            tokenizer: &self.tokenizer,
            vocabulary: &self.vocabulary,
            device: &self.device,
        };
        let example_tokens: Vec<u32> = prompt::example_cards()
            .iter()
            .map(|card| self.tokenizer.encode(card.as_str(), false).map(|e| e.get_ids().to_vec()))
            .collect::<Result<Vec<_>, _>>()?
            .concat();
        let ask = crate::extractive::ask_sentence(transcript);
        let ask_tokens = self.tokenizer.encode(format!(" {ask}"), false)?.get_ids().to_vec();
        decoder.decode(&mut session, &prompt, position, &transcript_tokens, &example_tokens, &ask_tokens, on_token)
    }
}

impl Summarizer for CardSummarizer {
    fn summarize(&self, transcript: &str, on_token: &mut dyn FnMut(&str)) -> Result<Summary, EngineError> {
        Ok(self.summarize_with_stats(transcript, on_token)?.0)
    }
}
