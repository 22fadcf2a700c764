//! Logit steering for one card: which tokens come from the transcript, its ask or only the
//! examples, and which tokens a line may not choose next.

use super::fields::{Avoid, Field, ECHO_NGRAM, NO_REPEAT_NGRAM};
use super::vocab::Vocabulary;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Elsewhere,
    /// In the examples' cards and nowhere in the transcript.
    ExamplesOnly,
    Transcript,
    /// In the sentence that says what is wrong.
    Problem,
    /// In the sentence of the transcript that asks for help.
    Ask,
}

/// The token sequences steering is worked out from.
pub struct Sources<'a> {
    pub transcript: &'a [u32],
    pub problem: &'a [u32],
    pub ask: &'a [u32],
    pub examples: &'a [u32],
    /// Count as transcript tokens, so that a pull toward the transcript never keeps a line
    /// from ending.
    pub line_breaks: &'a [u32],
}

/// Where each vocabulary token stands for this transcript.
pub struct Steering<'a> {
    vocabulary: &'a Vocabulary,
    origins: Vec<Origin>,
    ask: Vec<u32>,
}

impl<'a> Steering<'a> {
    pub fn new(vocabulary: &'a Vocabulary, sources: Sources<'_>) -> Self {
        let mut origins = vec![Origin::Elsewhere; vocabulary.len()];
        let mut mark = |tokens: &[u32], origin: Origin| {
            for &token in tokens {
                if let Some(slot) = origins.get_mut(token as usize) {
                    *slot = origin;
                }
            }
        };
        mark(sources.examples, Origin::ExamplesOnly);
        mark(sources.transcript, Origin::Transcript);
        mark(sources.line_breaks, Origin::Transcript);
        mark(sources.problem, Origin::Problem);
        mark(sources.ask, Origin::Ask);
        Self { vocabulary, origins, ask: sources.ask.to_vec() }
    }

    /// Applies `field`'s biases and bans to `logits`. `line` is what the line holds so far,
    /// `earlier` the tokens of the lines before it (title excluded).
    pub fn apply(&self, field: &Field, line: &[u32], earlier: &[u32], logits: &mut [f32]) {
        for (logit, origin) in logits.iter_mut().zip(&self.origins) {
            *logit += match origin {
                Origin::Elsewhere => 0.0,
                Origin::ExamplesOnly => -field.example_penalty,
                Origin::Transcript => field.copy_bias,
                Origin::Problem => field.copy_bias + field.problem_bias,
                Origin::Ask => field.copy_bias + field.ask_bias,
            };
        }
        if field.reuse_penalty != 0.0 {
            for &used in line.iter().filter(|token| self.vocabulary.is_word(**token)) {
                if let Some(logit) = logits.get_mut(used as usize) {
                    *logit -= field.reuse_penalty;
                }
            }
        }
        let avoided = match field.avoid {
            Avoid::AskSentence => self.ask.as_slice(),
            Avoid::EarlierLines => earlier,
        };
        let banned = completions(line, line, NO_REPEAT_NGRAM).chain(completions(line, avoided, ECHO_NGRAM));
        for token in banned {
            if let Some(logit) = logits.get_mut(token as usize) {
                *logit = f32::NEG_INFINITY;
            }
        }
    }
}

/// The tokens that, appended to `line`, would complete a run of `n` tokens found in `source`.
fn completions<'a>(line: &'a [u32], source: &'a [u32], n: usize) -> impl Iterator<Item = u32> + 'a {
    let tail =
        if n >= 1 && line.len() >= n - 1 && source.len() >= n { Some(&line[line.len() - (n - 1)..]) } else { None };
    tail.into_iter()
        .flat_map(move |tail| source.windows(n).filter(move |window| &window[..n - 1] == tail))
        .map(move |window| window[n - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_may_not_complete_a_run_it_already_holds() {
        let banned: Vec<u32> = completions(&[1, 2, 3, 1, 2], &[1, 2, 3, 1, 2], 3).collect();
        assert_eq!(banned, [3]);
    }

    #[test]
    fn short_lines_ban_nothing() {
        assert_eq!(completions(&[1], &[1, 2, 3], 3).count(), 0);
    }
}
