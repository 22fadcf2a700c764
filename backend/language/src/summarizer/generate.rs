//! Greedy decoding of one card (or any text of labelled lines, such as a digest point), line
//! by line, streaming each piece of text as it comes.

use std::time::Instant;

use candle_core::{DType, Device};
use tokenizers::Tokenizer;

use super::backbone::Session;
use super::fields::Field;
use super::steer::Steering;
use super::vocab::Vocabulary;
use crate::LanguageError;

/// How long one card took, for benchmarks and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GenerationStats {
    /// Prompt tokens run for this call (the cached shared prefix excluded).
    pub prompt_tokens: usize,
    /// Prompt tokens that came from the cache, already run at load.
    pub cached_prompt_tokens: usize,
    pub prompt_secs: f64,
    /// Tokens chosen by the model (the line labels the decoder writes itself excluded).
    pub generated_tokens: usize,
    /// Wall time from the first chosen token to the last, line labels included.
    pub generation_secs: f64,
}

impl GenerationStats {
    pub fn prompt_tokens_per_sec(&self) -> f64 {
        per_sec(self.prompt_tokens, self.prompt_secs)
    }

    pub fn generated_tokens_per_sec(&self) -> f64 {
        per_sec(self.generated_tokens, self.generation_secs)
    }
}

fn per_sec(tokens: usize, secs: f64) -> f64 {
    if secs > 0.0 {
        tokens as f64 / secs
    } else {
        0.0
    }
}

/// Everything one card's decoding needs besides the model session.
pub struct Decoder<'a> {
    pub tokenizer: &'a Tokenizer,
    pub vocabulary: &'a Vocabulary,
    pub device: &'a Device,
    pub steering: Steering<'a>,
    /// The lines to write, in order; the prompt ends on the first one's label.
    pub fields: &'a [Field],
}

impl Decoder<'_> {
    /// Runs `prompt` from `position`, then writes the lines of `fields`. Returns the raw text
    /// (`Title: ...\nSummary: ...`), exactly what was streamed to `on_token`.
    pub fn decode(
        &self,
        session: &mut Session<'_>,
        prompt: &[u32],
        mut position: usize,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<(String, GenerationStats), LanguageError> {
        let mut stats =
            GenerationStats { prompt_tokens: prompt.len(), cached_prompt_tokens: position, ..Default::default() };
        let started = Instant::now();
        let mut logits = session.forward(prompt, position, self.device)?;
        position += prompt.len();
        stats.prompt_secs = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let mut text = self.fields.first().map(|field| format!("{}:", field.label)).unwrap_or_default();
        on_token(&text);
        let mut earlier: Vec<u32> = Vec::new();
        for (index, field) in self.fields.iter().enumerate() {
            if index > 0 {
                // The model's own newline token is never fed back: the decoder writes the
                // line break and the next label, so the model always sees the exact format
                // of the examples.
                let label = format!("\n{}:", field.label);
                on_token(&label);
                text.push_str(&label);
                let forced = self.encode(&label)?;
                logits = session.forward(&forced, position, self.device)?;
                position += forced.len();
            }
            let mut line: Vec<u32> = Vec::new();
            let mut line_text = String::new();
            let mut stream = self.tokenizer.decode_stream(true);
            while line.len() < field.max_tokens {
                let mut scores: Vec<f32> = logits.to_dtype(DType::F32)?.to_vec1()?;
                self.steering.apply(field, &line, &earlier, &mut scores);
                let token = argmax(&scores)?;
                if self.vocabulary.is_stop(token) {
                    break;
                }
                stats.generated_tokens += 1;
                line.push(token);
                let piece = stream.step(token)?.unwrap_or_default();
                let (piece, line_over) = match piece.split_once('\n') {
                    Some((before, _)) => (before.to_string(), true),
                    None => (piece, false),
                };
                line_text.push_str(&piece);
                if !piece.is_empty() {
                    on_token(&piece);
                    text.push_str(&piece);
                }
                let list_full = field.max_items.is_some_and(|max| line_text.matches(',').count() >= max);
                let said_enough = field.max_sentences.is_some_and(|max| sentence_ends(&line_text) >= max);
                let line_full = list_full || said_enough;
                if line_over || line_full {
                    let more_lines = index + 1 < self.fields.len();
                    if more_lines && line_over && !piece.is_empty() {
                        // What came before the newline on the same token (often a full
                        // stop) still belongs to the line, and the model must see it.
                        let tail = self.encode(&piece)?;
                        logits = session.forward(&tail, position, self.device)?;
                        position += tail.len();
                    } else if more_lines && line_full {
                        logits = session.forward(&[token], position, self.device)?;
                        position += 1;
                    }
                    break;
                }
                logits = session.forward(&[token], position, self.device)?;
                position += 1;
            }
            if index > 0 {
                earlier.extend(&line);
                // A separator no n-gram can span.
                earlier.push(u32::MAX);
            }
        }
        stats.generation_secs = started.elapsed().as_secs_f64();
        Ok((text, stats))
    }

    fn encode(&self, text: &str) -> Result<Vec<u32>, LanguageError> {
        Ok(self.tokenizer.encode(text, false)?.get_ids().to_vec())
    }
}

/// Sentence ends so far: `.`, `!` or `?` followed by a space or ending the text, but not
/// the full stop of a decimal ("2.5").
fn sentence_ends(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|(index, byte)| {
            matches!(byte, b'.' | b'!' | b'?') && bytes.get(index + 1).is_none_or(|next| *next == b' ')
        })
        .count()
}

/// Greedy choice. Greedy, so the same transcript always gives the same card: reproducible,
/// and the faithfulness tests mean something.
fn argmax(scores: &[f32]) -> Result<u32, LanguageError> {
    scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(id, _)| id as u32)
        .ok_or_else(|| LanguageError::Malformed("the model returned no logits".into()))
}
