use serde::{Deserialize, Serialize};

use crate::CardSource;

/// One peer's answer to an ask, as the digest is made from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerToCondense {
    /// Who answered, as the asker should see it ("Ana Costa").
    pub author: String,
    /// What they said or typed: a transcript or a written answer.
    pub text: String,
}

/// What the asker gets back: one point per answer, in the answers' order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub points: Vec<DigestPoint>,
}

/// One answer condensed to a sentence. The author is attached by code, never written by a
/// model, so a point can only be attributed to the person who answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestPoint {
    pub author: String,
    pub sentence: String,
    /// The model's sentence, or the answer's own when the model's failed the check.
    pub source: CardSource,
    /// Why the model's sentence was rejected, when `source` is `Extractive`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
}

impl Digest {
    /// The digest as plain text: `Author: sentence`, one line per answer.
    pub fn text(&self) -> String {
        self.points.iter().map(|point| format!("{}: {}", point.author, point.sentence)).collect::<Vec<_>>().join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(author: &str, sentence: &str, source: CardSource) -> DigestPoint {
        let fallback_reason = (source == CardSource::Extractive).then(|| "model point rejected".to_string());
        DigestPoint { author: author.into(), sentence: sentence.into(), source, fallback_reason }
    }

    #[test]
    fn the_text_has_one_attributed_line_per_answer_in_order() {
        let digest = Digest {
            points: vec![
                point("Ana Costa", "Split the night shift by week.", CardSource::Model),
                point("Ben Ode", "Ambiguity is the real problem.", CardSource::Extractive),
            ],
        };
        assert_eq!(digest.text(), "Ana Costa: Split the night shift by week.\nBen Ode: Ambiguity is the real problem.");
    }

    #[test]
    fn an_empty_digest_has_no_text() {
        assert_eq!(Digest::default().text(), "");
    }

    #[test]
    fn a_model_point_is_serialized_without_a_fallback_reason() {
        let json = serde_json::to_value(point("Ana Costa", "Split it.", CardSource::Model)).unwrap_or_default();
        assert_eq!(json, serde_json::json!({"author": "Ana Costa", "sentence": "Split it.", "source": "model"}),);
    }
}
