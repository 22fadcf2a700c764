//! The answer digest: the same local chat model that writes cards restates each answer's point
//! in one sentence, the card's faithfulness check vets it against that answer alone, and the
//! answer's own first informative sentence stands in whenever the model's fails.

mod point;
mod prompt;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use coagent_domain::{AnswerToCondense, Digest, DigestPoint, DigestWriter, EngineError};

pub use point::finalize_point;

use crate::extractive::point_sentence;
use crate::summarizer::backbone::Backbone;
use crate::summarizer::fields::{Avoid, Field, Key};
use crate::summarizer::generate::Decoder;
use crate::summarizer::steer::{self, Steering};
use crate::{ChatModel, GenerationStats, LanguageError, MAX_TRANSCRIPT_TOKENS};
use point::fallback_point;

/// Longest answer the model reads, in tokens; a longer one gets the extractive point.
pub const MAX_ANSWER_TOKENS: usize = MAX_TRANSCRIPT_TOKENS;

/// The point's one line. A point is its answer's summary: `key` only picks the card examples'
/// values, and the digest has examples of its own.
const POINT: Field = Field {
    key: Key::Summary,
    label: prompt::LABEL,
    // About 35 words: room for a 30-word sentence, and the bound on a model going in circles.
    max_tokens: 48,
    max_items: None,
    max_sentences: Some(1),
    // Tuned by hand on SmolLM2-135M: a weaker pull toward the answer's words lets it invent
    // ("a complete delivery in Lyon" of an answer that named Lyon), a stronger pull toward the
    // main sentence makes it stutter through it.
    copy_bias: 3.0,
    problem_bias: 1.0,
    ask_bias: 0.0,
    example_penalty: 2.0,
    reuse_penalty: 2.0,
    avoid: Avoid::EarlierLines,
};

/// Condenses answers into a digest with a local GGUF chat model, one greedy sentence each.
pub struct DigestCondenser {
    model: Arc<ChatModel>,
    /// The model primed with `prefix`.
    backbone: Backbone,
    prefix: Vec<u32>,
    /// The tokens of the examples' points, which the model should not borrow.
    example_tokens: Vec<u32>,
}

impl DigestCondenser {
    /// Loads a GGUF chat model of its own. Where a [`crate::CardSummarizer`] already runs,
    /// share its model instead: `DigestCondenser::new(summarizer.model().clone())`.
    pub fn load(gguf_path: impl AsRef<Path>) -> Result<Self, LanguageError> {
        Self::new(ChatModel::load(gguf_path)?)
    }

    /// A condenser on an already loaded model; runs the shared prompt prefix once.
    pub fn new(model: Arc<ChatModel>) -> Result<Self, LanguageError> {
        let prefix = model.encode(&prompt::prefix())?;
        let example_tokens = model.encode(&prompt::example_points())?;
        let backbone = model.primed(&prefix, "digest")?;
        Ok(Self { model, backbone, prefix, example_tokens })
    }

    /// Like [`DigestWriter::condense`], also saying how long the model took on each answer.
    pub fn condense_with_stats(
        &self,
        card_title: &str,
        help_needed: &str,
        answers: &[AnswerToCondense],
    ) -> Result<(Digest, Vec<GenerationStats>), LanguageError> {
        let mut points = Vec::with_capacity(answers.len());
        let mut stats = Vec::with_capacity(answers.len());
        for answer in answers {
            let (point, answer_stats) = self.point_with_stats(card_title, help_needed, answer)?;
            points.push(point);
            stats.push(answer_stats);
        }
        Ok((Digest { points }, stats))
    }

    /// One answer's point, checked against that answer.
    pub fn point_with_stats(
        &self,
        card_title: &str,
        help_needed: &str,
        answer: &AnswerToCondense,
    ) -> Result<(DigestPoint, GenerationStats), LanguageError> {
        let text = answer.text.trim();
        if !text.chars().any(char::is_alphanumeric) {
            return Err(LanguageError::InvalidInput(format!("the answer from {} has no words", answer.author)));
        }
        let length = self.model.encode(text)?.len();
        if length > MAX_ANSWER_TOKENS {
            let reason = format!("answer of {length} tokens, longer than the model reads ({MAX_ANSWER_TOKENS})");
            return Ok((fallback_point(&answer.author, text, reason), GenerationStats::default()));
        }
        let started = Instant::now();
        let (model_text, stats) = self.generate(card_title, help_needed, text)?;
        tracing::debug!(point = %model_text, ?stats, secs = started.elapsed().as_secs_f64(), "model point");
        if stats.generated_tokens >= POINT.max_tokens {
            let reason = format!("the model's point did not end within {} tokens", POINT.max_tokens);
            return Ok((fallback_point(&answer.author, text, reason), stats));
        }
        Ok((finalize_point(&model_text, &answer.author, text), stats))
    }

    /// The model's raw point for `answer`, before any check: `Point: …`.
    pub fn generate(
        &self,
        card_title: &str,
        help_needed: &str,
        answer: &str,
    ) -> Result<(String, GenerationStats), LanguageError> {
        let model = &*self.model;
        let answer = answer.trim();
        let suffix = model.encode(&prompt::suffix(&prompt::question(card_title, help_needed), answer))?;
        let answer_tokens = model.encode(answer)?;
        // The sentence the extractive point would use, with a leading space as it appears
        // inside the answer: a pull toward the answer's point rather than its preamble.
        let main = model.encode(&format!(" {}", point_sentence(answer)))?;
        let steering = Steering::new(
            &model.vocabulary,
            steer::Sources {
                transcript: &answer_tokens,
                problem: &main,
                ask: &[],
                examples: &self.example_tokens,
                line_breaks: model.vocabulary.line_breaks(),
            },
        );
        let decoder = Decoder {
            tokenizer: &model.tokenizer,
            vocabulary: &model.vocabulary,
            device: &model.device,
            steering,
            fields: std::slice::from_ref(&POINT),
        };
        let (mut session, position) = self.backbone.session(self.prefix.len());
        let prompt = if position == 0 { [self.prefix.as_slice(), &suffix].concat() } else { suffix };
        decoder.decode(&mut session, &prompt, position, &mut |_| {})
    }
}

impl DigestWriter for DigestCondenser {
    fn condense(
        &self,
        card_title: &str,
        help_needed: &str,
        answers: &[AnswerToCondense],
    ) -> Result<Digest, EngineError> {
        Ok(self.condense_with_stats(card_title, help_needed, answers)?.0)
    }
}
