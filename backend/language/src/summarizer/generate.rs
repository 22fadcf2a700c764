//! Greedy decoding of one card, line by line, streaming each piece of text as it comes.

use std::time::Instant;

use candle_core::{Device, Tensor};
use tokenizers::Tokenizer;

use super::backbone::Session;
use super::prompt::{fields, Field};
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

/// A line may not repeat a run of this many tokens: small models loop otherwise.
fn no_repeat_ngram() -> usize {
    std::env::var("EXP_NGRAM").ok().and_then(|v| v.parse().ok()).unwrap_or(3)
}

/// What `decode` needs besides the session.
pub struct Decoder<'a> {
    pub tokenizer: &'a Tokenizer,
    pub vocabulary: &'a Vocabulary,
    pub device: &'a Device,
}

impl Decoder<'_> {
    /// Runs `prompt` from `position`, then writes the card's lines. `transcript_tokens` are
    /// the tokens the copy bias favours. Returns the card's raw text (`Title: ...\nSummary:
    /// ...`), exactly what was streamed to `on_token`.
    pub fn decode(
        &self,
        session: &mut Session<'_>,
        prompt: &[u32],
        mut position: usize,
        transcript_tokens: &[u32],
        example_tokens: &[u32],
        ask_tokens: &[u32],
        on_token: &mut dyn FnMut(&str),
    ) -> Result<(String, GenerationStats), LanguageError> {
        let mut stats = GenerationStats {
            prompt_tokens: prompt.len(),
            cached_prompt_tokens: position,
            ..Default::default()
        };
        let started = Instant::now();
        let mut logits = session.forward(prompt, position, self.device)?;
        position += prompt.len();
        stats.prompt_secs = started.elapsed().as_secs_f64();

        let bleed: f32 = std::env::var("EXP_BLEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0.0);
        let mut copyable = vec![0.0f32; self.vocabulary.len()];
        for &token in example_tokens {
            if let Some(slot) = copyable.get_mut(token as usize) {
                *slot = -bleed;
            }
        }
        for &token in transcript_tokens.iter().chain(self.vocabulary.line_breaks()) {
            if let Some(slot) = copyable.get_mut(token as usize) {
                *slot = 1.0;
            }
        }

        let started = Instant::now();
        let fields = fields();
        let mut earlier: Vec<u32> = Vec::new();
        let mut text = format!("{}:", fields[0].label);
        on_token(&text);
        for (index, field) in fields.iter().enumerate() {
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
            let ask_mode = std::env::var("EXP_ASK_MODE").is_ok();
            let mut ask_copy = copyable.clone();
            let ask_bias: f32 = std::env::var("EXP_ASK_BIAS").ok().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            for &t in ask_tokens { if let Some(slot) = ask_copy.get_mut(t as usize) { *slot = 1.0 + ask_bias / field.copy_bias.max(0.01); } }
            let (echo_source, copy_source): (&[u32], &[f32]) = match field.key {
                super::prompt::Key::Summary if ask_mode => (ask_tokens, &copyable),
                super::prompt::Key::HelpNeeded if ask_mode => (&earlier, &ask_copy),
                _ => (&earlier, &copyable),
            };
            let mut line = Line::new(field, echo_source);
            let mut stream = self.tokenizer.decode_stream(true);
            while line.tokens.len() < field.max_tokens {
                let token = self.choose(&logits, &line, copy_source)?;
                if self.vocabulary.is_stop(token) {
                    break;
                }
                stats.generated_tokens += 1;
                line.tokens.push(token);
                let piece = stream.step(token)?.unwrap_or_default();
                let (piece, line_over) = match piece.split_once('\n') {
                    Some((before, _)) => (before.to_string(), true),
                    None => (piece, false),
                };
                line.text.push_str(&piece);
                let tags_full = field.max_items.is_some_and(|max| line.text.matches(',').count() >= max);
                if line_over || tags_full {
                    // What came before the newline on the same token (often a full stop)
                    // still belongs to the line.
                    if !piece.is_empty() {
                        on_token(&piece);
                        text.push_str(&piece);
                        let tail = self.encode(&piece)?;
                        logits = session.forward(&tail, position, self.device)?;
                        position += tail.len();
                    }
                    break;
                }
                on_token(&piece);
                text.push_str(&piece);
                logits = session.forward(&[token], position, self.device)?;
                position += 1;
            }
            if index > 0 {
                earlier.extend(&line.tokens);
                earlier.push(u32::MAX);
            }
        }
        stats.generation_secs = started.elapsed().as_secs_f64();
        Ok((text, stats))
    }

    /// Greedy choice among the tokens the line allows. Greedy, so the same transcript always
    /// gives the same card: reproducible, and the faithfulness tests mean something.
    fn choose(&self, logits: &Tensor, line: &Line<'_>, copyable: &[f32]) -> Result<u32, LanguageError> {
        let mut logits: Vec<f32> = logits.to_dtype(candle_core::DType::F32)?.to_vec1()?;
        if line.field.copy_bias != 0.0 {
            for (logit, copyable) in logits.iter_mut().zip(copyable) {
                if *copyable > 0.0 {
                    *logit += line.field.copy_bias * *copyable;
                } else {
                    *logit += *copyable;
                }
            }
        }
        let echo: usize = std::env::var("EXP_ECHO").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
        for banned in line.repeats(no_repeat_ngram()).into_iter().chain(line.echoes(echo)) {
            if let Some(logit) = logits.get_mut(banned as usize) {
                *logit = f32::NEG_INFINITY;
            }
        }
        logits
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(id, _)| id as u32)
            .ok_or_else(|| LanguageError::Malformed("the model returned no logits".into()))
    }

    fn encode(&self, text: &str) -> Result<Vec<u32>, LanguageError> {
        Ok(self.tokenizer.encode(text, false)?.get_ids().to_vec())
    }
}

/// The line being written.
struct Line<'a> {
    field: &'a Field,
    tokens: Vec<u32>,
    text: String,
    /// The earlier lines' tokens (title excluded), which this line may not echo.
    earlier: &'a [u32],
}

impl<'a> Line<'a> {
    fn new(field: &'a Field, earlier: &'a [u32]) -> Self {
        Self { field, tokens: Vec::new(), text: String::new(), earlier }
    }

    /// Tokens that would make this line echo `n` tokens of an earlier line.
    fn echoes(&self, n: usize) -> Vec<u32> {
        if n == 0 || self.tokens.len() < n - 1 || self.earlier.len() < n {
            return Vec::new();
        }
        let tail = &self.tokens[self.tokens.len() - (n - 1)..];
        self.earlier
            .windows(n)
            .filter(|window| &window[..n - 1] == tail)
            .map(|window| window[n - 1])
            .collect()
    }

    /// Tokens that would complete an n-gram the line already holds.
    fn repeats(&self, n: usize) -> Vec<u32> {
        if n == 0 || self.tokens.len() < n {
            return Vec::new();
        }
        let tail = &self.tokens[self.tokens.len() - (n - 1)..];
        self.tokens
            .windows(n)
            .filter(|window| &window[..n - 1] == tail)
            .map(|window| window[n - 1])
            .collect()
    }
}
